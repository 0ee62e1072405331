// Package morocco holds reference lists about Morocco that several
// capabilities share: the twelve regions of the 2015 territorial division,
// with their names in French and Arabic. It imports nothing but i18n, so any
// domain package may use it.
package morocco

import "espaceosc/shared/i18n"

// Region is one of the twelve regions: a stable slug (stored, sent in
// requests) and its name in both languages.
type Region struct {
	ID   string
	Name i18n.Text
}

// Regions lists the regions in their official order (2015 division).
var Regions = []Region{
	{"tanger-tetouan-al-hoceima", i18n.Text{FR: "Tanger-Tétouan-Al Hoceïma", AR: "جهة طنجة تطوان الحسيمة"}},
	{"oriental", i18n.Text{FR: "L'Oriental", AR: "جهة الشرق"}},
	{"fes-meknes", i18n.Text{FR: "Fès-Meknès", AR: "جهة فاس مكناس"}},
	{"rabat-sale-kenitra", i18n.Text{FR: "Rabat-Salé-Kénitra", AR: "جهة الرباط سلا القنيطرة"}},
	{"beni-mellal-khenifra", i18n.Text{FR: "Béni Mellal-Khénifra", AR: "جهة بني ملال خنيفرة"}},
	{"casablanca-settat", i18n.Text{FR: "Casablanca-Settat", AR: "جهة الدار البيضاء سطات"}},
	{"marrakech-safi", i18n.Text{FR: "Marrakech-Safi", AR: "جهة مراكش آسفي"}},
	{"draa-tafilalet", i18n.Text{FR: "Drâa-Tafilalet", AR: "جهة درعة تافيلالت"}},
	{"souss-massa", i18n.Text{FR: "Souss-Massa", AR: "جهة سوس ماسة"}},
	{"guelmim-oued-noun", i18n.Text{FR: "Guelmim-Oued Noun", AR: "جهة كلميم واد نون"}},
	{"laayoune-sakia-el-hamra", i18n.Text{FR: "Laâyoune-Sakia El Hamra", AR: "جهة العيون الساقية الحمراء"}},
	{"dakhla-oued-ed-dahab", i18n.Text{FR: "Dakhla-Oued Ed-Dahab", AR: "جهة الداخلة وادي الذهب"}},
}

// RegionIDs returns the regions' slugs, in order (for validate.OneOf).
func RegionIDs() []string {
	ids := make([]string, len(Regions))
	for i, r := range Regions {
		ids[i] = r.ID
	}
	return ids
}

// LookupRegion returns the region id and whether there is one.
func LookupRegion(id string) (Region, bool) {
	for _, r := range Regions {
		if r.ID == id {
			return r, true
		}
	}
	return Region{}, false
}

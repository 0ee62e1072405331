package cocreation

import "espaceosc/shared/i18n"

// National is the region of a proposal about the whole country.
const National = "national"

// Regions are the twelve regions of Morocco (2015 division), then National.
var Regions = []string{
	"tanger-tetouan-al-hoceima", "oriental", "fes-meknes", "rabat-sale-kenitra", "beni-mellal-khenifra",
	"casablanca-settat", "marrakech-safi", "draa-tafilalet", "souss-massa", "guelmim-oued-noun",
	"laayoune-sakia-el-hamra", "dakhla-oued-ed-dahab", National,
}

// RegionLabels name the regions.
var RegionLabels = map[string]i18n.Text{
	"tanger-tetouan-al-hoceima": {FR: "Tanger-Tétouan-Al Hoceïma", AR: "طنجة تطوان الحسيمة"},
	"oriental":                  {FR: "L'Oriental", AR: "الشرق"},
	"fes-meknes":                {FR: "Fès-Meknès", AR: "فاس مكناس"},
	"rabat-sale-kenitra":        {FR: "Rabat-Salé-Kénitra", AR: "الرباط سلا القنيطرة"},
	"beni-mellal-khenifra":      {FR: "Béni Mellal-Khénifra", AR: "بني ملال خنيفرة"},
	"casablanca-settat":         {FR: "Casablanca-Settat", AR: "الدار البيضاء سطات"},
	"marrakech-safi":            {FR: "Marrakech-Safi", AR: "مراكش آسفي"},
	"draa-tafilalet":            {FR: "Drâa-Tafilalet", AR: "درعة تافيلالت"},
	"souss-massa":               {FR: "Souss-Massa", AR: "سوس ماسة"},
	"guelmim-oued-noun":         {FR: "Guelmim-Oued Noun", AR: "كلميم واد نون"},
	"laayoune-sakia-el-hamra":   {FR: "Laâyoune-Sakia El Hamra", AR: "العيون الساقية الحمراء"},
	"dakhla-oued-ed-dahab":      {FR: "Dakhla-Oued Ed-Dahab", AR: "الداخلة وادي الذهب"},
	National:                    {FR: "National (tout le territoire)", AR: "وطني (كافة التراب الوطني)"},
}

// StatusLabels name the public statuses (and so the outcomes).
var StatusLabels = map[Status]i18n.Text{
	AwaitingResponse:    {FR: "En attente de réponse", AR: "في انتظار الرد"},
	Status(Adopted):     {FR: "Retenue", AR: "مقبول"},
	Status(Merged):      {FR: "Fusionnée dans un engagement", AR: "مدمج في التزام"},
	Status(NotRetained): {FR: "Non retenue", AR: "غير مقبول"},
}

// MilestoneStatusLabels name the milestone statuses.
var MilestoneStatusLabels = map[MilestoneStatus]i18n.Text{
	"planned":     {FR: "Prévu", AR: "مبرمج"},
	"in_progress": {FR: "En cours", AR: "قيد الإنجاز"},
	"done":        {FR: "Réalisé", AR: "منجز"},
	"delayed":     {FR: "En retard", AR: "متأخر"},
}

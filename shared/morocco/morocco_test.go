package morocco

import (
	"regexp"
	"testing"
)

func TestRegions(t *testing.T) {
	if len(Regions) != 12 {
		t.Fatalf("%d regions, want 12", len(Regions))
	}
	slug := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, r := range Regions {
		if !slug.MatchString(r.ID) || seen[r.ID] || r.Name.FR == "" || r.Name.AR == "" {
			t.Errorf("region %+v: bad slug, duplicate or missing name", r)
		}
		seen[r.ID] = true
	}
	if got := RegionIDs(); len(got) != 12 || got[8] != "souss-massa" {
		t.Errorf("RegionIDs = %v", got)
	}
	if r, ok := LookupRegion("oriental"); !ok || r.Name.FR != "L'Oriental" {
		t.Errorf("LookupRegion(oriental) = %+v, %v", r, ok)
	}
	if _, ok := LookupRegion("atlantis"); ok {
		t.Errorf("LookupRegion found atlantis")
	}
}

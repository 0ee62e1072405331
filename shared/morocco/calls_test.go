package morocco_test

import (
	"slices"
	"testing"

	"espaceosc/shared/calls"
	"espaceosc/shared/morocco"
)

// Until the calls capability uses this package, its list of regions must
// stay the same.
func TestSameRegionsAsCalls(t *testing.T) {
	if got, want := morocco.RegionIDs(), calls.Regions; !slices.Equal(got, want) {
		t.Errorf("morocco.RegionIDs() = %v, calls.Regions = %v", got, want)
	}
}

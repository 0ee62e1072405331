package i18n

import (
	_ "embed"
	"time"
)

// casablancaTZif is Africa/Casablanca from Go's own zoneinfo database
// ($GOROOT/lib/time/zoneinfo.zip). Lambda's provided.al2023 image has no
// zoneinfo, and embedding this one zone (2 KB) instead of the whole database
// (time/tzdata, 390 KB) keeps every function binary that much smaller.
//
//go:embed casablanca.tzif
var casablancaTZif []byte

// Casablanca is Morocco's time zone, in which the portal shows every date
// (times are stored and exchanged in UTC).
var Casablanca = mustCasablanca()

func mustCasablanca() *time.Location {
	loc, err := time.LoadLocationFromTZData("Africa/Casablanca", casablancaTZif)
	if err != nil {
		panic("i18n: embedded Africa/Casablanca zone: " + err.Error())
	}
	return loc
}

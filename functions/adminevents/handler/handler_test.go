package handler

import (
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/events"
)

func TestRoutesMatchTemplate(t *testing.T) {
	svc := events.NewService(nil, nil, nil, "http://portal.test", "2026-11-01", nil)
	template.CheckRoutes(t, "", "AdminEventsFunction", New(svc, nil).Routes())
}

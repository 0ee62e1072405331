package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"regexp"
	"strconv"
	"sync"
	"time"

	"espaceosc/infra/template"
)

var errUnknownSchedule = errors.New("unknown schedule")

// scheduler runs the template's Schedule and ScheduleV2 events on timers and on demand.
type scheduler struct {
	byName    map[string]template.Schedule
	functions map[string]*function
	stopCh    chan struct{}
	wg        sync.WaitGroup
	stopOnce  sync.Once
}

func newScheduler(tpl *template.Template, fns map[string]*function) *scheduler {
	s := &scheduler{byName: map[string]template.Schedule{}, functions: fns, stopCh: make(chan struct{})}
	for _, sc := range tpl.Schedules() {
		s.byName[sc.EventName] = sc
	}
	return s
}

var rateRE = regexp.MustCompile(`^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$`)

// parseRate returns the period of a rate(...) expression.
func parseRate(expr string) (time.Duration, error) {
	m := rateRE.FindStringSubmatch(expr)
	if m == nil {
		return 0, fmt.Errorf("unsupported schedule expression %q", expr)
	}
	n, _ := strconv.Atoi(m[1])
	if n <= 0 {
		return 0, fmt.Errorf("invalid rate %q", expr)
	}
	unit := map[string]time.Duration{"minute": time.Minute, "minutes": time.Minute, "hour": time.Hour, "hours": time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour}[m[2]]
	return time.Duration(n) * unit, nil
}

func (s *scheduler) start(out io.Writer) {
	for name, sc := range s.byName {
		if !sc.Enabled {
			continue
		}
		every, err := parseRate(sc.Expression)
		if err != nil {
			fmt.Fprintf(out, "  schedule %s: %v; run it with POST /_local/schedules/%s\n", name, err, name)
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-s.stopCh:
					return
				case <-t.C:
					if _, err := s.run(context.Background(), name); err != nil {
						log.Printf("schedule %s: %v", name, err)
					}
				}
			}
		}()
	}
}

func (s *scheduler) stop() {
	s.stopOnce.Do(func() { close(s.stopCh) })
	s.wg.Wait()
}

// run invokes the schedule's function now with an EventBridge scheduled event.
func (s *scheduler) run(ctx context.Context, name string) ([]byte, error) {
	sc, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", errUnknownSchedule, name)
	}
	fn := s.functions[sc.FunctionLogicalID]
	if fn == nil {
		return nil, fmt.Errorf("function %s is not built", sc.FunctionLogicalID)
	}
	source, detail := "aws.events", json.RawMessage(`{}`)
	resource := "arn:aws:events:" + Region + ":" + AccountID + ":rule/" + name
	detailType := "Scheduled Event"
	if sc.Type == "ScheduleV2" {
		// ScheduleV2 (EventBridge Scheduler) uses the same envelope and source "aws.scheduler".
		source = "aws.scheduler"
		resource = "arn:aws:scheduler:" + Region + ":" + AccountID + ":schedule/default/" + name
	}
	payload, _ := json.Marshal(map[string]any{
		"version":     "0",
		"id":          newID(),
		"detail-type": detailType,
		"source":      source,
		"account":     AccountID,
		"time":        time.Now().UTC().Format(time.RFC3339),
		"region":      Region,
		"resources":   []string{resource},
		"detail":      detail,
	})
	res, err := fn.invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	if res.err != nil {
		return nil, res.err
	}
	return res.payload, nil
}

package consistency

import (
	"os"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestEveryFunctionHasAnErrorsAlarm checks that each function of the
// template is watched by exactly one errors alarm and one throttles alarm
// (metric-math alarms take at most 10 metrics, so a new function must be
// added to one of them).
func TestEveryFunctionHasAnErrorsAlarm(t *testing.T) {
	for _, metric := range []string{"Errors", "Throttles"} {
		t.Run(metric, func(t *testing.T) { checkFunctionAlarms(t, metric) })
	}
}

func checkFunctionAlarms(t *testing.T, metricName string) {
	raw, err := os.ReadFile(repoPath(t, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse template.yaml: %v", err)
	}
	resources := mapValue(doc.Content[0], "Resources")
	if resources == nil {
		t.Fatal("template.yaml has no Resources")
	}
	watched := map[string]int{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		res := resources.Content[i+1]
		if typ := mapValue(res, "Type"); typ == nil || typ.Value != "AWS::CloudWatch::Alarm" {
			continue
		}
		metrics := mapValue(mapValue(res, "Properties"), "Metrics")
		if metrics == nil {
			continue
		}
		n := 0
		for _, m := range metrics.Content {
			if mapValue(mapValue(mapValue(m, "MetricStat"), "Metric"), "MetricName") == nil {
				continue
			}
			n++
			metric := mapValue(mapValue(m, "MetricStat"), "Metric")
			if mapValue(metric, "Namespace").Value != "AWS/Lambda" || mapValue(metric, "MetricName").Value != metricName {
				continue
			}
			for _, d := range mapValue(metric, "Dimensions").Content {
				if v := mapValue(d, "Value"); mapValue(d, "Name").Value == "FunctionName" && v.Tag == "!Ref" {
					watched[v.Value]++
				}
			}
		}
		if n > 10 {
			t.Errorf("alarm %s has %d metrics; CloudWatch allows 10", resources.Content[i].Value, n)
		}
	}

	var problems []string
	for _, fn := range loadTemplate(t).Functions {
		if got := watched[fn.LogicalID]; got != 1 {
			problems = append(problems, fn.LogicalID)
		}
		delete(watched, fn.LogicalID)
	}
	for id := range watched {
		problems = append(problems, id+" (not a function)")
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Fatalf("functions not in exactly one %s alarm: %s", metricName, strings.Join(problems, ", "))
	}
}

// mapValue returns the value node of key in a YAML mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

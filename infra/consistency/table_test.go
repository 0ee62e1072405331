package consistency

import (
	"maps"
	"slices"
	"testing"

	"espaceosc/shared/ddbstore/ddbtest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The table the store tests create (ddbtest.TableInput) is the table of template.yaml:
// same keys, attribute types, indexes and projections.
func TestStoreTestTableMatchesTemplate(t *testing.T) {
	tpl := loadTemplate(t)
	if len(tpl.Tables) != 1 {
		t.Fatalf("template.yaml has %d tables, want 1 (single-table design)", len(tpl.Tables))
	}
	want := tpl.Tables[0]
	got := ddbtest.TableInput("consistency")

	hash, rng := keys(got.KeySchema)
	if hash != want.HashKey || rng != want.RangeKey {
		t.Errorf("ddbtest key (%s, %s), template (%s, %s)", hash, rng, want.HashKey, want.RangeKey)
	}
	attrs := map[string]string{}
	for _, a := range got.AttributeDefinitions {
		attrs[aws.ToString(a.AttributeName)] = string(a.AttributeType)
	}
	if !maps.Equal(attrs, want.AttributeTypes) {
		t.Errorf("ddbtest attributes %v, template %v", attrs, want.AttributeTypes)
	}

	type index struct{ hash, rng, projection string }
	gotIdx := map[string]index{}
	for _, g := range got.GlobalSecondaryIndexes {
		h, r := keys(g.KeySchema)
		p := ""
		if g.Projection != nil {
			p = string(g.Projection.ProjectionType)
		}
		gotIdx[aws.ToString(g.IndexName)] = index{h, r, p}
	}
	wantIdx := map[string]index{}
	for _, g := range want.GSIs {
		wantIdx[g.Name] = index{g.HashKey, g.RangeKey, g.Projection}
	}
	for _, name := range slices.Sorted(maps.Keys(wantIdx)) {
		if g, ok := gotIdx[name]; !ok {
			t.Errorf("ddbtest has no index %s", name)
		} else if g != wantIdx[name] {
			t.Errorf("index %s: ddbtest %+v, template %+v", name, g, wantIdx[name])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(gotIdx)) {
		if _, ok := wantIdx[name]; !ok {
			t.Errorf("ddbtest index %s is not in template.yaml", name)
		}
	}
}

func keys(ks []types.KeySchemaElement) (hash, rng string) {
	for _, k := range ks {
		switch k.KeyType {
		case types.KeyTypeHash:
			hash = aws.ToString(k.AttributeName)
		case types.KeyTypeRange:
			rng = aws.ToString(k.AttributeName)
		}
	}
	return hash, rng
}

package cloud

import (
	"path/filepath"
	"testing"

	"espaceosc/infra/template"
)

// The portal's sign-in settings of the real template: locally there is no
// managed login, so AUTH_DOMAIN is empty and the client ID is the local one.
func TestEnvWithoutManagedLogin(t *testing.T) {
	root, err := template.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c := &Cloud{tpl: tpl, url: "http://127.0.0.1:8080"}
	c.names = c.localNames()
	c.aliases = bucketAliases(tpl, c.names)
	addEndpointAliases(c.aliases, "http://127.0.0.1:41234")
	fn, ok := tpl.Function("PortalFunction")
	if !ok {
		t.Fatal("no PortalFunction in template.yaml")
	}
	for _, tc := range []struct{ env, want string }{
		{"AUTH_DOMAIN", ""},
		{"AUTH_CLIENT_ID", UserPoolApp},
		{"PORTAL_ORIGIN", "http://127.0.0.1:8080"},
		// The bucket's virtual-hosted origin becomes the local S3 endpoint.
		{"UPLOAD_ORIGIN", "http://127.0.0.1:41234"},
	} {
		v, ok := fn.Env[tc.env]
		if !ok {
			t.Errorf("PortalFunction has no %s", tc.env)
			continue
		}
		got, err := c.envValue(v)
		if err != nil {
			t.Fatalf("%s: %v", tc.env, err)
		}
		if local, ok := c.aliases[got]; ok {
			got = local
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.env, got, tc.want)
		}
	}
	// Other values still resolve resources by name.
	got, err := c.envValue(template.Value{Kind: template.KindSub, Literal: "${UserPoolClient}-${AWS::Region}"})
	if err != nil || got != UserPoolApp+"-"+Region {
		t.Errorf("Sub of a client = %q, %v", got, err)
	}
}

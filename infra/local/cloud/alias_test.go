package cloud

import (
	"testing"

	"espaceosc/infra/template"
)

func TestBucketAliasesResolveSubNames(t *testing.T) {
	tpl, err := template.Parse([]byte(`
Parameters:
  Stage: {Type: String, Default: dev}
Resources:
  DossierBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub espace-osc-dossiers-${Stage}-${AWS::AccountId}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          EXPORT_BUCKET: !Sub espace-osc-dossiers-${Stage}-${AWS::AccountId}
          STAGE: !Ref Stage
          UPLOAD_ORIGIN: !Sub https://espace-osc-dossiers-${Stage}-${AWS::AccountId}.s3.${AWS::Region}.amazonaws.com
`))
	if err != nil {
		t.Fatal(err)
	}
	c := &Cloud{tpl: tpl}
	names := c.localNames()
	aliases := bucketAliases(tpl, names)
	addEndpointAliases(aliases, "http://127.0.0.1:41234")
	fn, _ := tpl.Function("Fn")
	cases := []struct{ env, want string }{
		{"EXPORT_BUCKET", names["DossierBucket"]},
		{"STAGE", LocalStage},
		{"UPLOAD_ORIGIN", "http://127.0.0.1:41234"},
	}
	for _, tc := range cases {
		got, err := fn.Env[tc.env].Resolve(func(n string) (string, bool) { v, ok := names[n]; return v, ok })
		if err != nil {
			t.Fatal(err)
		}
		if local, ok := aliases[got]; ok {
			got = local
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.env, got, tc.want)
		}
	}
	if names["DossierBucket"] != "espace-osc-dossiers-local" {
		t.Errorf("local bucket = %q", names["DossierBucket"])
	}
}

package userdir_test

import (
	"context"
	"errors"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/userdir"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// pages is a fake user pool answering ListUsersInGroup page by page.
type pages struct {
	pages [][]types.UserType
	err   error
	asked []cip.ListUsersInGroupInput
}

func (p *pages) ListUsersInGroup(_ context.Context, in *cip.ListUsersInGroupInput, _ ...func(*cip.Options)) (*cip.ListUsersInGroupOutput, error) {
	p.asked = append(p.asked, *in)
	if p.err != nil {
		return nil, p.err
	}
	i := 0
	if in.NextToken != nil {
		i = int((*in.NextToken)[0] - '0')
	}
	out := &cip.ListUsersInGroupOutput{Users: p.pages[i]}
	if i+1 < len(p.pages) {
		out.NextToken = aws.String(string(rune('0' + i + 1)))
	}
	return out, nil
}

func user(enabled bool, attrs ...string) types.UserType {
	u := types.UserType{Enabled: enabled}
	for i := 0; i+1 < len(attrs); i += 2 {
		u.Attributes = append(u.Attributes, types.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
	}
	return u
}

func TestEvaluatorsReadsEveryPage(t *testing.T) {
	p := &pages{pages: [][]types.UserType{
		{user(true, "sub", "s-1", "email", "youssef@example.ma", "name", "Youssef El Idrissi"), user(false, "sub", "s-2", "email", "off@example.ma", "name", "Désactivé")},
		{user(true, "sub", "s-3", "email", "amina@example.ma", "given_name", "Amina", "family_name", "Benali"), user(true, "sub", "s-4", "email", "k@example.ma"), user(true, "email", "nosub@example.ma")},
	}}
	got, err := userdir.New(p, "eu-west-3_pool").Evaluators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Amina Benali|s-3|amina@example.ma", "k@example.ma|s-4|k@example.ma", "Youssef El Idrissi|s-1|youssef@example.ma"}
	if len(got) != len(want) {
		t.Fatalf("evaluators = %+v, want %v", got, want)
	}
	for i, e := range got {
		if s := e.Name + "|" + e.Sub + "|" + e.Email; s != want[i] {
			t.Errorf("evaluator %d = %s, want %s", i, s, want[i])
		}
	}
	if len(p.asked) != 2 || aws.ToString(p.asked[0].UserPoolId) != "eu-west-3_pool" || aws.ToString(p.asked[0].GroupName) != "evaluators" || aws.ToString(p.asked[1].NextToken) != "1" {
		t.Errorf("requests = %+v", p.asked)
	}
}

func TestEvaluatorsErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		code apperr.Code
	}{
		{&smithy.GenericAPIError{Code: "TooManyRequestsException", Fault: smithy.FaultClient}, apperr.Unavailable},
		{&smithy.GenericAPIError{Code: "InternalErrorException", Fault: smithy.FaultServer}, apperr.Unavailable},
		{&smithy.GenericAPIError{Code: "AccessDeniedException", Fault: smithy.FaultClient}, apperr.Internal},
		{errors.New("connection refused"), apperr.Internal},
	} {
		_, err := userdir.New(&pages{err: c.err}, "p").Evaluators(context.Background())
		if got := apperr.CodeOf(err); got != c.code {
			t.Errorf("%v: code %q, want %q", c.err, got, c.code)
		}
	}
}

package cloud

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The local Cognito Identity Provider (user pools) endpoint: the part of
// the API the functions call, ListUsersInGroup, over the local cloud's own
// user directory. It answers as AWS does (JSON 1.1 protocol, SigV4 checked,
// the caller's role evaluated for cognito-idp:ListUsersInGroup on the user
// pool's ARN). The directory holds seeded evaluators and every identity the
// local cloud issued a token for (/_local/token?role=…&sub=…), with a name
// and an email, in its group; it is kept in the data directory.

// localUser is one identity of the local user pool.
type localUser struct {
	Sub     string    `json:"sub"`
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Groups  []string  `json:"groups"`
	Created time.Time `json:"created"`
}

// seedUsers are the evaluators the local directory starts with: the
// default evaluator token's identity and two more, so that the console
// offers a choice.
var seedUsers = []localUser{
	{Sub: "local-evaluator", Name: "Évaluatrice locale", Email: "local-evaluator@espace-osc.local", Groups: []string{"evaluators"}},
	{Sub: "local-evaluator-2", Name: "Karim Alaoui", Email: "karim.alaoui@espace-osc.local", Groups: []string{"evaluators"}},
	{Sub: "local-evaluator-3", Name: "Nadia Berrada", Email: "nadia.berrada@espace-osc.local", Groups: []string{"evaluators"}},
	{Sub: "local-admin", Name: "Administration locale", Email: "local-admin@espace-osc.local", Groups: []string{"admins"}},
}

// cognitoService is the local user pool and its API endpoint.
type cognitoService struct {
	path string
	srv  *http.Server
	url  string
	pool string // the user pool's ID
	arn  string // the user pool's ARN (IAM resource)

	mu    sync.Mutex
	users map[string]*localUser

	iam *iam // nil: no checks
}

func startCognito(dataDir, poolID string) (*cognitoService, error) {
	c := &cognitoService{path: filepath.Join(dataDir, "users.json"), pool: poolID,
		arn: "arn:aws:cognito-idp:" + Region + ":" + AccountID + ":userpool/" + poolID, users: map[string]*localUser{}}
	if b, err := os.ReadFile(c.path); err == nil {
		var list []localUser
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, fmt.Errorf("read %s: %w", c.path, err)
		}
		for i := range list {
			c.users[list[i].Sub] = &list[i]
		}
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("read users: %w", err)
	}
	now := time.Now().UTC()
	for _, u := range seedUsers {
		if _, ok := c.users[u.Sub]; !ok {
			u := u
			u.Created = now
			c.users[u.Sub] = &u
		}
	}
	if err := c.save(); err != nil {
		return nil, err
	}
	srv, u, err := serveLoopback(http.HandlerFunc(c.serveHTTP))
	if err != nil {
		return nil, fmt.Errorf("cognito listener: %w", err)
	}
	c.srv, c.url = srv, u
	return c, nil
}

func (c *cognitoService) close() error {
	_ = c.srv.Close()
	return nil
}

// save writes the directory (the lock held or not yet shared).
func (c *cognitoService) save() error {
	list := make([]localUser, 0, len(c.users))
	for _, u := range c.users {
		list = append(list, *u)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Sub < list[j].Sub })
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	return os.Rename(tmp, c.path)
}

// remember records that an identity signs in with group: a token the local
// cloud issued for it (a new identity gets its sub as name and the token's
// email).
func (c *cognitoService) remember(sub, email, group string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.users[sub]
	if !ok {
		u = &localUser{Sub: sub, Name: sub, Email: email, Created: time.Now().UTC()}
		c.users[sub] = u
	}
	for _, g := range u.Groups {
		if g == group {
			if ok {
				return nil
			}
			return c.save()
		}
	}
	u.Groups = append(u.Groups, group)
	return c.save()
}

func writeCognitoError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.Header().Set("X-Amzn-Requestid", newID())
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"__type":%q,"message":%q}`, typ, msg)
}

const cognitoTargetPrefix = "AWSCognitoIdentityProviderService."

func (c *cognitoService) serveHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), cognitoTargetPrefix)
	if r.Method != http.MethodPost || !ok {
		writeCognitoError(w, http.StatusBadRequest, "UnknownOperationException", "")
		return
	}
	var p *principal
	if c.iam != nil {
		var err error
		if p, _, err = c.iam.authenticate(r, "cognito-idp"); err != nil {
			ae := err.(*authError)
			code := map[string]string{
				"MissingAuthenticationToken": "MissingAuthenticationTokenException",
				"IncompleteSignature":        "IncompleteSignatureException",
				"InvalidClientTokenId":       "UnrecognizedClientException",
				"SignatureDoesNotMatch":      "InvalidSignatureException",
				"RequestTimeTooSkewed":       "InvalidSignatureException",
			}[ae.code]
			if code == "" {
				code = "UnrecognizedClientException"
			}
			writeCognitoError(w, http.StatusBadRequest, code, ae.message)
			return
		}
	}
	if op != "ListUsersInGroup" {
		writeCognitoError(w, http.StatusBadRequest, "UnknownOperationException", "operation not implemented by the local Cognito: "+op)
		return
	}
	var in struct {
		UserPoolID string `json:"UserPoolId"`
		GroupName  string
		Limit      *int
		NextToken  string
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		writeCognitoError(w, http.StatusBadRequest, "SerializationException", "unreadable body")
		return
	}
	// IAM names the user pool in the request (its ARN): a role allowed on
	// another pool, or on none, is refused before anything is read.
	resource := "arn:aws:cognito-idp:" + Region + ":" + AccountID + ":userpool/" + in.UserPoolID
	if p != nil {
		if denied := p.authorize(iamRequest{action: "cognito-idp:ListUsersInGroup", resource: resource}); denied != nil {
			writeCognitoError(w, http.StatusBadRequest, "AccessDeniedException", p.deniedMessage(denied))
			return
		}
	}
	switch {
	case in.UserPoolID == "" || in.GroupName == "":
		writeCognitoError(w, http.StatusBadRequest, "InvalidParameterException", "UserPoolId and GroupName are required")
		return
	case in.UserPoolID != c.pool:
		writeCognitoError(w, http.StatusBadRequest, "ResourceNotFoundException", "User pool "+in.UserPoolID+" does not exist.")
		return
	case in.GroupName != "admins" && in.GroupName != "evaluators":
		writeCognitoError(w, http.StatusBadRequest, "ResourceNotFoundException", "Group not found.")
		return
	}
	limit := 60
	if in.Limit != nil {
		if *in.Limit < 0 || *in.Limit > 60 {
			writeCognitoError(w, http.StatusBadRequest, "InvalidParameterException", "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
			return
		}
		if *in.Limit > 0 {
			limit = *in.Limit
		}
	}
	start := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(in.NextToken)
		if err != nil || n < 0 {
			writeCognitoError(w, http.StatusBadRequest, "InvalidParameterException", "Invalid pagination token.")
			return
		}
		start = n
	}
	type attr struct{ Name, Value string }
	type user struct {
		Username             string
		Attributes           []attr
		UserCreateDate       float64
		UserLastModifiedDate float64
		Enabled              bool
		UserStatus           string
	}
	c.mu.Lock()
	var members []localUser
	for _, u := range c.users {
		for _, g := range u.Groups {
			if g == in.GroupName {
				members = append(members, *u)
			}
		}
	}
	c.mu.Unlock()
	sort.Slice(members, func(i, j int) bool { return members[i].Sub < members[j].Sub })
	out := struct {
		Users     []user
		NextToken string `json:",omitempty"`
	}{Users: []user{}}
	for i := start; i < len(members) && i < start+limit; i++ {
		u := members[i]
		at := float64(u.Created.Unix())
		out.Users = append(out.Users, user{
			Username:       u.Sub,
			Attributes:     []attr{{"sub", u.Sub}, {"email", u.Email}, {"email_verified", "true"}, {"name", u.Name}},
			UserCreateDate: at, UserLastModifiedDate: at, Enabled: true, UserStatus: "CONFIRMED",
		})
	}
	if start+limit < len(members) {
		out.NextToken = strconv.Itoa(start + limit)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", newID())
	_ = json.NewEncoder(w).Encode(out)
}

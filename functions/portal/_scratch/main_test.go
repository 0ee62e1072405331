package e2e

// Scratch harness (not committed): the e2e package's TestMain needs
// infra/seed, which does not exist yet; this one seeds through the admin API.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
)

var lc *cloud.Cloud

func TestMain(m *testing.M) {
	dir, _ := os.MkdirTemp("", "portal-scratch-")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	var err error
	lc, err = cloud.Start(ctx, cloud.Config{Addr: "127.0.0.1:0", DataDir: dir, NoSchedules: true, Seed: seedAPI, SkipMissing: true})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start local cloud:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = lc.Close()
	os.Exit(code)
}

func seedAPI(ctx context.Context, base, tok string) error {
	post := func(path string, body any) error {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s: %d %s", path, resp.StatusCode, out)
		}
		return nil
	}
	items := []map[string]any{
		{"slug": "appel-candidature-copil-2024", "lang": "fr", "title": "Appel à candidature pour représenter la société civile au comité de pilotage", "summary": "Conformément à la méthodologie de sélection des représentants de la société civile au comité de pilotage, un appel à candidature est ouvert du 14 août au 05 septembre 2024.", "body": "Conformément à la méthodologie de sélection des représentants de la société civile au comité de pilotage, un appel à candidature pour représenter la société civile au comité de pilotage est ouvert aux associations intéressées du 14 août au 05 septembre 2024.\n\nA l'issue de cet appel à candidature, un comité de sélection étudiera les dossiers.", "at": "2024-08-13T09:00:00Z"},
		{"slug": "visite-delegation-cote-ivoire", "lang": "fr", "title": "Visite d'une délégation parlementaire de Côte d'Ivoire", "summary": "Le mardi 24 septembre 2024, au siège du parlement à Rabat, le Président de la Chambre des Représentants a reçu une délégation parlementaire de la Côte d'Ivoire.", "body": "Le mardi 24 septembre 2024, au siège du parlement à Rabat, le Président de la Chambre des Représentants a reçu une délégation parlementaire de la Côte d'Ivoire.", "at": "2024-09-26T09:00:00Z"},
		{"slug": "resultats-copil-2024", "lang": "fr", "title": "Résultats de l'appel à candidature pour le comité de pilotage 2024-2027", "summary": "Les dossiers de candidatures ont été analysés par un comité de sélection indépendant ; les 9 associations retenues siégeront au comité de pilotage.", "body": "Suite à l'appel à candidature pour sélectionner neuf (9) associations qui vont représenter la société civile au comité de pilotage du gouvernement ouvert pour la période 2024-2027...\n\nLes 9 associations retenues siégeront au comité de pilotage.", "at": "2024-09-27T09:00:00Z"},
		{"slug": "nataij-copil-2024", "lang": "ar", "title": "نتائج طلب الترشيحات لعضوية لجنة القيادة 2024-2027", "summary": "درست لجنة انتقاء مستقلة ملفات الترشيح، وستمثّل الجمعيات التسع المختارة المجتمع المدني في لجنة القيادة.", "body": "على إثر طلب الترشيحات لاختيار تسع جمعيات تمثل المجتمع المدني في لجنة قيادة الحكومة المنفتحة للفترة 2024-2027، درست لجنة انتقاء مستقلة ملفات الترشيح وفق معايير الانتقاء المعتمدة.", "at": "2024-09-27T09:00:00Z"},
	}
	for _, it := range items {
		at := it["at"]
		delete(it, "at")
		if err := post("/api/admin/news", it); err != nil {
			return err
		}
		if err := post("/api/admin/news/"+it["slug"].(string)+"/publish", map[string]any{"publishedAt": at}); err != nil {
			return err
		}
	}
	links := []map[string]any{
		{"url": "https://www.chikaya.ma", "title": map[string]string{"fr": "Chikaya : plaintes, observations et suggestions", "ar": "شكاية: الشكايات والملاحظات والاقتراحات"}, "description": map[string]string{"fr": "Portail national des plaintes.", "ar": "البوابة الوطنية للشكايات."}, "order": 10},
		{"url": "https://www.eparticipation.ma", "title": map[string]string{"fr": "E-participation : pétitions et motions", "ar": "المشاركة الإلكترونية: العرائض والملتمسات"}, "order": 20},
	}
	for _, l := range links {
		if err := post("/api/admin/links", l); err != nil {
			return err
		}
	}
	return nil
}

type call struct {
	method, path string
	body         any
	headers      map[string]string
	token        string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func do(t *testing.T, c call) reply {
	t.Helper()
	var body io.Reader
	if c.body != nil {
		raw, _ := json.Marshal(c.body)
		body = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(c.method, lc.URL()+c.path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func expectStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
}

var _ = strings.Contains

func token(t *testing.T, role string) string {
	t.Helper()
	tok, err := lc.Token(role, "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

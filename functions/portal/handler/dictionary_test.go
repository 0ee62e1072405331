package handler

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

func dictionaries(t *testing.T) (fr, ar map[string]string) {
	t.Helper()
	var err error
	if fr, err = ParseDictionary([]byte(readSite(t, "assets/i18n/fr.js"))); err != nil {
		t.Fatalf("fr.js: %v", err)
	}
	if ar, err = ParseDictionary([]byte(readSite(t, "assets/i18n/ar.js"))); err != nil {
		t.Fatalf("ar.js: %v", err)
	}
	return fr, ar
}

var (
	// t('key') and t("key") calls in the modules.
	tCallRE = regexp.MustCompile(`\bt\(\s*['"]([^'"]+)['"]`)
	// Any quoted string shaped like a key ('topic.action_plan'): keys kept in
	// tables and passed to t() later.
	keyLiteralRE = regexp.MustCompile(`['"]([a-z]+(?:\.[a-z0-9_]+)+)['"]`)
	// {{index .T "key"}} in the shell template.
	shellKeyRE   = regexp.MustCompile(`index \.T "([^"]+)"`)
	placeholdRE  = regexp.MustCompile(`\{(\w+)\}`)
	dynamicTCall = regexp.MustCompile(`\bt\(\s*` + "`")
)

// usedKeys collects every string key the client and the shell use.
func usedKeys(t *testing.T, namespaces map[string]bool) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	err := fs.WalkDir(embedded, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "/i18n/") {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		src := string(b)
		switch path.Ext(p) {
		case ".js":
			if dynamicTCall.MatchString(src) {
				t.Errorf("%s calls t() with a template literal: keys must be literal strings", p)
			}
			for _, m := range tCallRE.FindAllStringSubmatch(src, -1) {
				used[m[1]] = append(used[m[1]], p)
			}
			for _, m := range keyLiteralRE.FindAllStringSubmatch(src, -1) {
				if ns, _, _ := strings.Cut(m[1], "."); namespaces[ns] {
					used[m[1]] = append(used[m[1]], p)
				}
			}
		case ".html":
			for _, m := range shellKeyRE.FindAllStringSubmatch(src, -1) {
				used[m[1]] = append(used[m[1]], p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func TestEveryUsedKeyIsInBothDictionaries(t *testing.T) {
	fr, ar := dictionaries(t)
	namespaces := map[string]bool{}
	for k := range fr {
		ns, _, _ := strings.Cut(k, ".")
		namespaces[ns] = true
	}
	used := usedKeys(t, namespaces)
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: is the scan broken?", len(used))
	}
	var keys []string
	for k := range used {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := fr[k]; !ok {
			t.Errorf("key %q (used in %v) missing from fr.js", k, used[k])
		}
		if _, ok := ar[k]; !ok {
			t.Errorf("key %q (used in %v) missing from ar.js", k, used[k])
		}
	}
}

func TestDictionariesAgree(t *testing.T) {
	fr, ar := dictionaries(t)
	for k := range fr {
		if _, ok := ar[k]; !ok {
			t.Errorf("key %q in fr.js only", k)
		}
	}
	for k := range ar {
		if _, ok := fr[k]; !ok {
			t.Errorf("key %q in ar.js only", k)
		}
	}
	// Arabic strings without an Arabic letter on purpose: the name of the
	// other language, and a pattern made of placeholders only.
	arabicOptional := map[string]bool{"lang.switch": true, "form.error_item": true}
	// The one French string written in Arabic script: the switch to Arabic.
	frenchInArabic := map[string]bool{"lang.switch": true}
	for k, arText := range ar {
		frText := fr[k]
		if strings.TrimSpace(frText) == "" || strings.TrimSpace(arText) == "" {
			t.Errorf("key %q has an empty text", k)
		}
		if got, want := placeholders(arText), placeholders(frText); got != want {
			t.Errorf("key %q: placeholders ar %s, fr %s", k, got, want)
		}
		if !arabicOptional[k] && !hasArabic(arText) {
			t.Errorf("key %q: the Arabic text %q has no Arabic letter", k, arText)
		}
		if frenchInArabic[k] != hasArabic(frText) {
			t.Errorf("key %q: French text %q and its script disagree", k, frText)
		}
	}
}

func placeholders(s string) string {
	var names []string
	for _, m := range placeholdRE.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func hasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

// No module turns data into markup, evaluates strings or names another
// origin (auth.js reaches only the login origin the server announces); the
// CSP forbids it too, this finds it before a browser does.
func TestClientCodeStaysSafe(t *testing.T) {
	forbidden := []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout('", "http://", "https://", "localStorage", "@import", "url(http"}
	err := fs.WalkDir(embedded, "site/assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".svg") {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		for _, f := range forbidden {
			if strings.Contains(string(b), f) {
				t.Errorf("%s contains %q", p, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

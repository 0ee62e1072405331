package handler

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
	"sync"

	"espaceosc/shared/i18n"
)

// asset is one file the portal serves, with what its response needs.
type asset struct {
	body        []byte
	etag        string // strong validator of body, quoted
	contentType string

	gzipOnce sync.Once
	gzipped  []byte // nil when compression does not pay
}

func newAsset(body []byte, contentType string) *asset {
	sum := sha256.Sum256(body)
	return &asset{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: contentType}
}

// gzipBody compresses the asset once, on first demand (not at cold start).
func (a *asset) gzipBody() []byte {
	a.gzipOnce.Do(func() {
		if len(a.body) < minGzipSize || !compressible(a.contentType) {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		if buf.Len() < len(a.body) {
			a.gzipped = buf.Bytes()
		}
	})
	return a.gzipped
}

const minGzipSize = 512

func compressible(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "application/javascript" ||
		mt == "application/json" || mt == "image/svg+xml" || strings.HasSuffix(mt, "+json")
}

// Site is the portal's content: static assets under a version, the page
// shell per language, and the top-level files (robots.txt).
type Site struct {
	// Version names the current set of assets; asset URLs carry it
	// (/assets/<Version>/app.js) so they can be cached for a year.
	Version string
	// Auth is the hosted sign-in the shell announces to the admin page.
	Auth Auth
	// UploadOrigin is the origin of the dossier bucket the candidacy page
	// uploads documents to with presigned POSTs ("" for none).
	UploadOrigin string
	assets       map[string]*asset    // by path under site/assets
	root         map[string]*asset    // by file name under site/
	shells       map[i18n.Lang]*asset // the HTML page shell
	dicts        map[i18n.Lang]map[string]string
}

// contentTypes of the files the site holds; anything else is not served.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".json":  "application/json; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".png":   "image/png",
	".woff2": "font/woff2",
}

// LoadSite reads the site from fsys (rooted at the site folder): every asset,
// the dictionaries and the shell template rendered once per language, with
// auth's sign-in settings (the zero Auth for none).
func LoadSite(fsys fs.FS, auth Auth) (*Site, error) {
	s := &Site{Auth: auth, assets: map[string]*asset{}, root: map[string]*asset{}, shells: map[i18n.Lang]*asset{}, dicts: map[i18n.Lang]map[string]string{}}
	version := sha256.New()
	var names []string
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list assets: %w", err)
	}
	sort.Strings(names)
	for _, p := range names {
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			return nil, fmt.Errorf("asset %s: no content type for its extension", p)
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read asset: %w", err)
		}
		a := newAsset(body, ct)
		s.assets[strings.TrimPrefix(p, "assets/")] = a
		fmt.Fprintf(version, "%s %s\n", p, a.etag)
	}
	s.Version = "v" + hex.EncodeToString(version.Sum(nil))[:10]

	for _, name := range []string{"robots.txt"} {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		s.root[name] = newAsset(body, contentTypes[path.Ext(name)])
	}

	for _, l := range i18n.Langs {
		d, err := ParseDictionary(s.assets["i18n/"+string(l)+".js"].body)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s: %w", l, err)
		}
		s.dicts[l] = d
	}
	tpl, err := template.ParseFS(fsys, "shell.html")
	if err != nil {
		return nil, fmt.Errorf("parse shell: %w", err)
	}
	for _, l := range i18n.Langs {
		other := i18n.AR
		if l == i18n.AR {
			other = i18n.FR
		}
		dict := s.dicts[l]
		data := map[string]any{
			"Lang":   string(l),
			"Dir":    l.Dir(),
			"Other":  string(other),
			"Assets": "/assets/" + s.Version,
			"T":      dict,
			"Auth":   auth,
		}
		var buf bytes.Buffer
		if err := tpl.Execute(&buf, data); err != nil {
			return nil, fmt.Errorf("render shell %s: %w", l, err)
		}
		s.shells[l] = newAsset(buf.Bytes(), contentTypes[".html"])
	}
	return s, nil
}

// ParseDictionary reads a dictionary module (`export default { ...JSON... };`)
// into its key → text map.
func ParseDictionary(src []byte) (map[string]string, error) {
	start := bytes.IndexByte(src, '{')
	end := bytes.LastIndexByte(src, '}')
	if start < 0 || end < start {
		return nil, fmt.Errorf("no object literal")
	}
	var d map[string]string
	if err := json.Unmarshal(src[start:end+1], &d); err != nil {
		return nil, fmt.Errorf("object literal is not strict JSON: %w", err)
	}
	return d, nil
}

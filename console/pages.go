package console

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// funcs are what templates may call: t looks a text up in the catalogue.
var funcs = template.FuncMap{
	"t": func(key string, args ...any) string { return catalog.T(catalog.Key(key), args...) },
	"role": func(r staff.Role) string {
		return catalog.T(catalog.Key("web.role_" + string(r)))
	},
}

func init() {
	for name, f := range petaFuncs {
		funcs[name] = f
	}
}

// parsePages parses each page with the layout; a parse error is a bug
// caught by every test.
func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	names, _ := fs.Glob(templateFiles, "templates/*.html")
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, n))
	}
	return pages
}

// page is what every page template gets: the signed-in person (zero when
// nobody is) and the page's own data.
type page struct {
	Actor staff.Actor
	Data  any
}

// render writes page name with status; a template error is logged and
// answered with a plain 500 (nothing half-written reaches the browser).
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout.html", page{Actor: actorOf(r), Data: data}); err != nil {
		c.log.Error("console: rendering a page", "page", name, "err", err)
		http.Error(w, catalog.T("web.err_internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail answers an error the person cannot fix (the database away).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console: request failed", "path", redactPath(r.URL.Path), "err", err)
	c.render(w, r, http.StatusServiceUnavailable, "unavailable", nil)
}

// redactPath keeps sign-in tokens out of logs.
func redactPath(p string) string {
	if strings.HasPrefix(p, "/masuk/") {
		return "/masuk/…"
	}
	return p
}

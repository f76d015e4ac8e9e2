package console

import (
	"net/http"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
)

// home is the signed-in person's start page.
func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	c.render(w, r, http.StatusOK, "home", map[string]any{"Scope": c.scopeLabel(r, a.Scope)})
}

// scopeLabel names a scope as people say it ("Kota Malang"); the whole
// country for the admin's empty scope.
func (c *Console) scopeLabel(r *http.Request, scope region.Code) string {
	if scope == "" {
		return catalog.T("web.scope_all")
	}
	return c.regions.Label(r.Context(), scope)
}

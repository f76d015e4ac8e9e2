package console

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// targetNode is one region of the target picker, with the regions
// directly inside it (two levels below the scope are shown: a city's
// kecamatan and their kelurahan).
type targetNode struct {
	Code     region.Code
	Name     string
	Children []targetNode
}

// maxChildren bounds one level of the picker (the country has 38
// provinces, a regency at most some hundred villages in a district).
const maxChildren = 1000

// targetTree is the picker for a's scope: the scope itself, then its
// children, each with theirs.
func (c *Console) targetTree(ctx context.Context, a staff.Actor) (targetNode, error) {
	root := targetNode{Code: a.Scope, Name: c.scopeName(ctx, a.Scope)}
	kids, _, err := c.deps.RegionStore.Children(ctx, a.Scope, 0, maxChildren)
	if err != nil {
		return root, err
	}
	for _, k := range kids {
		n := targetNode{Code: k.Code, Name: k.Name}
		grand, _, err := c.deps.RegionStore.Children(ctx, k.Code, 0, maxChildren)
		if err != nil {
			return root, err
		}
		for _, g := range grand {
			n.Children = append(n.Children, targetNode{Code: g.Code, Name: g.Name})
		}
		root.Children = append(root.Children, n)
	}
	return root, nil
}

func (c *Console) scopeName(ctx context.Context, scope region.Code) string {
	if scope == "" {
		return catalog.T("web.scope_all")
	}
	return c.regions.Label(ctx, scope)
}

// audience answers the compose page's script with the number of active
// subscribers the chosen targets reach now. Codes outside the person's
// scope are left out, so the count tells nothing about other regions.
func (c *Console) audience(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	var targets []region.Code
	for _, t := range r.URL.Query()["target"] {
		if code, err := region.ParseCode(t); err == nil && a.Allows(code) {
			targets = append(targets, code)
		}
	}
	n := 0
	if len(targets) > 0 {
		var err error
		if n, err = c.deps.Schedules.CountAudience(r.Context(), targets); err != nil {
			c.log.Error("console: counting an audience", "err", err)
			http.Error(w, catalog.T("web.err_unavailable"), http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": n, "text": catalog.T("web.compose.audience", thousands(n))})
}

// thousands writes n as Indonesians do: 1.234.567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

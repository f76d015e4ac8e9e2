package console_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/kimbot/kimbot/staff"
)

// The people every console route is walked for (issue 11: no session, a
// resident, moderators of two villages, an operator of the city and one
// of another regency).
const (
	nobody      = "no session"
	resident    = "resident"
	moderatorA  = "moderator of Tlogomas"
	moderatorB  = "moderator of Merjosari"
	operatorCit = "operator of Kota Malang"
	operatorOth = "operator of Kab. Malang"
)

var personas = []string{nobody, resident, moderatorA, moderatorB, operatorCit, operatorOth}

// signedIn returns a browser signed in as each persona; nobody's and the
// resident's have no session (a resident's link is refused at sign-in).
func (r *rig) signedIn() map[string]*http.Client {
	r.t.Helper()
	people := map[string]struct {
		id    int64
		role  staff.Role
		scope string
	}{
		moderatorA:  {6001, staff.RoleModerator, "35.73.05.1003"},
		moderatorB:  {6002, staff.RoleModerator, "35.73.05.1002"},
		operatorOth: {7002, staff.RoleOperator, "35.07"},
	}
	for _, p := range people {
		if _, err := r.dir.Add(context.Background(), staff.Admin(), p.id, p.role, regionCode(p.scope), nil); err != nil {
			r.t.Fatal(err)
		}
	}
	out := map[string]*http.Client{nobody: r.browser()}
	res := r.browser()
	if code, _, _ := do(r.t, res, "POST", r.link(residentID, "Budi")); code != http.StatusForbidden {
		r.t.Fatalf("a resident's sign-in: %d", code)
	}
	out[resident] = res
	ids := map[string]int64{moderatorA: 6001, moderatorB: 6002, operatorCit: operatorID, operatorOth: 7002}
	for who, id := range ids {
		b := r.browser()
		if code, _, _ := do(r.t, b, "POST", r.link(id, who)); code != http.StatusSeeOther {
			r.t.Fatalf("%s signing in: %d", who, code)
		}
		out[who] = b
	}
	return out
}

// route is one console path and what each persona gets there.
type route struct {
	method, path string
	want         map[string]int // persona → status; personas not named get wantOthers
	wantOthers   int
}

// TestAccess_EveryRouteEveryPerson walks every console route for every
// persona. A new page must add its routes here, with the objects it needs
// made in the setup above the table.
func TestAccess_EveryRouteEveryPerson(t *testing.T) {
	r := newRig(t)
	browsers := r.signedIn()
	signIn := http.StatusSeeOther // pages for the signed-in send others to /masuk
	// Operators' pages: moderators get 403; an operator of another regency
	// gets 404 for the city's staff and invitations.
	opOnly := map[string]int{nobody: signIn, resident: signIn, moderatorA: http.StatusForbidden, moderatorB: http.StatusForbidden}
	cityInvite, cityModerator := r.cityStaff()
	routes := []route{
		{"GET", "/", map[string]int{nobody: signIn, resident: signIn}, http.StatusOK},
		{"GET", "/masuk", nil, http.StatusOK},
		{"GET", "/static/console.css", nil, http.StatusOK},
		{"GET", "/tidak-ada", nil, http.StatusNotFound},
		{"GET", "/siaran/baru", opOnly, http.StatusOK},
		{"GET", "/siaran/baru/penerima?target=35.73", opOnly, http.StatusOK},
		{"POST", "/siaran/baru", opOnly, http.StatusUnprocessableEntity}, // an empty form: refused field by field
		{"GET", "/static/compose.js", nil, http.StatusOK},
		{"GET", "/petugas", opOnly, http.StatusOK},
		{"POST", "/petugas/undangan", opOnly, http.StatusUnprocessableEntity},
		{"POST", "/petugas/undangan/" + cityInvite + "/cabut", with(opOnly, operatorOth, http.StatusNotFound), http.StatusSeeOther},
		{"POST", "/petugas/" + cityModerator + "/moderator/hapus", with(opOnly, operatorOth, http.StatusNotFound), http.StatusSeeOther},
	}
	for _, rt := range routes {
		for _, who := range personas {
			want, ok := rt.want[who]
			if !ok {
				want = rt.wantOthers
			}
			if got, _, _ := do(t, browsers[who], rt.method, r.srv.URL+rt.path); got != want {
				t.Errorf("%s %s as %s: %d, want %d", rt.method, rt.path, who, got, want)
			}
		}
	}
}

// cityStaff makes an open invitation and a moderator in Kota Malang for
// the routes that change them, and returns their ids for paths.
func (r *rig) cityStaff() (inviteID, moderatorID string) {
	r.t.Helper()
	ctx := context.Background()
	city := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73"}
	_, inv, err := r.dir.CreateInvite(ctx, city, staff.RoleModerator, "35.73.05.1001")
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.dir.Add(ctx, city, 6003, staff.RoleModerator, "35.73.05.1001", nil); err != nil {
		r.t.Fatal(err)
	}
	return strconv.FormatInt(inv.ID, 10), "6003"
}

// with is want with one more persona's answer.
func with(want map[string]int, who string, code int) map[string]int {
	out := map[string]int{who: code}
	for k, v := range want {
		out[k] = v
	}
	return out
}

package console

import "net/http"

// composeRoutes are /siaran/baru: the compose form, its posts (preview,
// edit, confirm) and the live audience count its script asks for.
func (c *Console) composeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /siaran/baru", c.operatorOnly(c.composeNew))
	mux.Handle("POST /siaran/baru", c.operatorOnly(c.composePost))
	mux.Handle("GET /siaran/baru/penerima", c.operatorOnly(c.audience))
}

// staffRoutes are /petugas: the staff and invitations of the scope,
// inviting, revoking an invitation and removing a role.
func (c *Console) staffRoutes(mux *http.ServeMux) {
	mux.Handle("GET /petugas", c.operatorOnly(c.staffList))
	mux.Handle("POST /petugas/undangan", c.operatorOnly(c.inviteCreate))
	mux.Handle("POST /petugas/undangan/{id}/cabut", c.operatorOnly(c.inviteRevoke))
	mux.Handle("POST /petugas/{id}/{role}/hapus", c.operatorOnly(c.memberRemove))
}

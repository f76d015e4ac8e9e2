package console

import (
	"errors"
	"io"
	"net/http"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// importLimit caps an uploaded KIM list: a city's list of a few hundred
// rows is tens of kilobytes; the file waits in the session between the
// check and the import.
const importLimit = 1 << 20

// importKey, with the check's draft name, holds the checked file in the
// session until it is imported.
const importKey = "kim_impor:"

type kimImportPage struct {
	Plan    *staff.ImportPlan
	Applied bool
	Error   string
	// Draft names the checked file in the session: a check in another
	// tab keeps its own, so this page imports what it showed.
	Draft string
}

func (c *Console) kimImportForm(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "kim_import", kimImportPage{})
}

// kimImport checks an uploaded list (aksi=periksa: a dry run, every row
// shown) or imports the file checked last (aksi=terapkan).
func (c *Console) kimImport(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, importLimit+64<<10)
	if err := r.ParseMultipartForm(importLimit); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.render(w, r, http.StatusRequestEntityTooLarge, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_big")})
			return
		}
		c.render(w, r, http.StatusUnprocessableEntity, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_nofile")})
		return
	}
	ctx := r.Context()
	apply := r.FormValue("aksi") == "terapkan"
	var data []byte
	draft := r.FormValue("draf")
	if apply {
		if validDraft(draft) {
			data = c.sessions.GetBytes(ctx, importKey+draft)
		}
		if len(data) == 0 {
			c.render(w, r, http.StatusConflict, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_again")})
			return
		}
	} else {
		file, _, err := r.FormFile("berkas")
		if err != nil {
			c.render(w, r, http.StatusUnprocessableEntity, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_nofile")})
			return
		}
		defer file.Close()
		if data, err = io.ReadAll(io.LimitReader(file, importLimit+1)); err != nil || len(data) > importLimit {
			c.render(w, r, http.StatusRequestEntityTooLarge, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_big")})
			return
		}
	}
	plan, err := c.staff.ImportKIM(ctx, actorOf(r), data, apply)
	if errors.Is(err, staff.ErrImportFile) {
		c.render(w, r, http.StatusUnprocessableEntity, "kim_import", kimImportPage{Error: catalog.T("web.kim.import_unreadable")})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if apply {
		c.sessions.Remove(ctx, importKey+draft)
	} else {
		draft = newDraft()
		c.sessions.Put(ctx, importKey+draft, data)
	}
	c.render(w, r, http.StatusOK, "kim_import", kimImportPage{Plan: &plan, Applied: apply, Draft: draft})
}

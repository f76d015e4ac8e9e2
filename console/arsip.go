package console

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// How long browsers and shared caches may keep the archive's pages: an
// announcement's page never changes, the index gains entries.
const (
	archivePageAge  = 10 * time.Minute
	archiveIndexAge = time.Minute
	archiveFileAge  = 24 * time.Hour
	archivePageSize = 10
)

// routeArsip adds the public archive of official announcements: no
// sign-in, no resident data, paced per client, cacheable.
func (c *Console) routeArsip(mux *http.ServeMux) {
	mux.Handle("GET /arsip", c.public(c.arsipIndex))
	mux.Handle("GET /arsip/{id}", c.public(c.arsipShow))
	mux.Handle("GET /arsip/{id}/berkas", c.public(c.arsipFile))
}

// arsipRow is one announcement as the archive shows it, to anyone.
type arsipRow struct {
	Link, Office, Sent, Area, Preview string
	Photo, Document                   bool
}

type arsipIndexData struct {
	Area     string // the chosen area's name; "" for all
	Code     string
	Trail    []arsipPlace // the areas above the chosen one, for going up
	Choices  []arsipPlace // the areas inside it, for going down
	Rows     []arsipRow
	Page     int
	Prev     string
	Next     string
	Filtered bool
}

type arsipPlace struct{ Code, Name string }

// arsipIndex lists the archive, newest first, for ?wilayah=CODE (a
// kecamatan, kelurahan/desa or any region) or everywhere.
func (c *Console) arsipIndex(w http.ResponseWriter, r *http.Request) {
	if c.deps.Archive == nil {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	area, err := region.ParseCode(r.URL.Query().Get("wilayah"))
	if err != nil {
		area = ""
	}
	page := pageOf(r)
	list, err := c.deps.Archive.List(ctx, area, (page-1)*archivePageSize, archivePageSize+1)
	if err != nil {
		c.failPublic(w, r, err)
		return
	}
	d := arsipIndexData{Code: string(area), Page: page, Filtered: area != ""}
	if area != "" {
		d.Area = c.regions.Label(ctx, area)
		for p := area.Parent(); p != ""; p = p.Parent() {
			d.Trail = append([]arsipPlace{{Code: string(p), Name: c.regions.Name(ctx, p)}}, d.Trail...)
		}
	}
	if area.Level() < region.Village {
		kids, _, err := c.regions.Children(ctx, area, 0, 200)
		if err == nil {
			for _, k := range kids {
				d.Choices = append(d.Choices, arsipPlace{Code: string(k.Code), Name: k.Name})
			}
		}
	}
	more := len(list) > archivePageSize
	if more {
		list = list[:archivePageSize]
	}
	for _, e := range list {
		d.Rows = append(d.Rows, c.arsipRow(ctx, e))
	}
	d.Prev, d.Next = arsipPager(area, page, more)
	c.renderPublic(w, r, http.StatusOK, "arsip_index", d, time.Time{}, archiveIndexAge)
}

func arsipPager(area region.Code, page int, more bool) (prev, next string) {
	link := func(p int) string {
		q := url.Values{}
		if area != "" {
			q.Set("wilayah", string(area))
		}
		if p > 1 {
			q.Set("hal", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return "/arsip"
		}
		return "/arsip?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if more {
		next = link(page + 1)
	}
	return prev, next
}

func (c *Console) arsipRow(ctx context.Context, e broadcast.Entry) arsipRow {
	return arsipRow{Link: "/arsip/" + e.Key, Office: c.issuer(ctx, e), Sent: broadcast.LongTime(e.FirstSentAt, c.zone),
		Area: c.areaOf(ctx, e.Targets), Preview: firstWords(e.Content.Text, 24),
		Photo: e.Content.PhotoFileID != "", Document: e.Content.DocumentFileID != ""}
}

// issuer is who issued e (broadcast.Entry.IssuerName).
func (c *Console) issuer(ctx context.Context, e broadcast.Entry) string {
	return e.IssuerName(func(o region.Code) string { return c.regions.Name(ctx, o) })
}

func (c *Console) areaOf(ctx context.Context, targets []region.Code) string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = c.regions.Label(ctx, t)
	}
	return strings.Join(names, "; ")
}

type arsipShowData struct {
	arsipRow
	Body    template.HTML
	File    string
	Buttons [][]message.Button
}

// arsipShow is one announcement exactly as residents got it.
func (c *Console) arsipShow(w http.ResponseWriter, r *http.Request) {
	e, ok := c.arsipEntry(w, r)
	if !ok {
		return
	}
	body, valid := message.DisplayHTML(e.Content.Text)
	if !valid {
		body = template.HTMLEscapeString(e.Content.Text)
	}
	d := arsipShowData{arsipRow: c.arsipRow(r.Context(), e), Body: template.HTML(body), Buttons: e.Content.Buttons} // #nosec G203 -- DisplayHTML keeps only Telegram's tags and escapes the rest
	if e.Content.HasMedia() {
		d.File = "/arsip/" + e.Key + "/berkas"
	}
	c.renderPublic(w, r, http.StatusOK, "arsip_show", d, e.FirstSentAt, archivePageAge)
}

// arsipEntry reads the entry the path names, or answers 404 (a bad or
// unknown key, one not sent yet, one kept out of the archive: all alike).
func (c *Console) arsipEntry(w http.ResponseWriter, r *http.Request) (broadcast.Entry, bool) {
	if c.deps.Archive == nil {
		http.NotFound(w, r)
		return broadcast.Entry{}, false
	}
	e, err := c.deps.Archive.Get(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		c.renderPublic(w, r, http.StatusNotFound, "arsip_missing", nil, time.Time{}, 0)
		return e, false
	case err != nil:
		c.failPublic(w, r, err)
		return e, false
	}
	return e, true
}

// failPublic answers a public page the database could not serve.
func (c *Console) failPublic(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console: archive page failed", "path", r.URL.Path, "err", err)
	c.renderPublic(w, r, http.StatusServiceUnavailable, "unavailable", nil, time.Time{}, 0)
}

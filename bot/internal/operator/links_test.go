package operator

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

func TestOperatorFlow_Links(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	link := func(text, url string) []message.Button { return []message.Button{{Text: text, URL: url}} }
	tests := []struct {
		name  string
		typed string
		want  [][]message.Button
		err   string // part of the refusal when want is nil
	}{
		{"bar", "Info ASO | https://malangkota.go.id/aso", [][]message.Button{link("Info ASO", "https://malangkota.go.id/aso")}, ""},
		{"loose spaces", "  Info   ASO|   https://malangkota.go.id  ", [][]message.Button{link("Info ASO", "https://malangkota.go.id")}, ""},
		{"bare domain", "Situs resmi | malangkota.go.id", [][]message.Button{link("Situs resmi", "https://malangkota.go.id")}, ""},
		{"no bar", "Daftar: https://s.id/daftar", [][]message.Button{link("Daftar", "https://s.id/daftar")}, ""},
		{"CLI form", "Daftar=HTTP://s.id/daftar", [][]message.Button{link("Daftar", "HTTP://s.id/daftar")}, ""},
		{"one per line", "Info | https://a.go.id\n\n  \nFormulir | http://b.go.id/f?x=1\n",
			[][]message.Button{link("Info", "https://a.go.id"), link("Formulir", "http://b.go.id/f?x=1")}, ""},
		{"no address", "Info lengkap", nil, "<code>Info lengkap</code>"},
		{"no label", " | https://a.go.id", nil, "belum bisa dibaca"},
		{"other scheme", "Info | ftp://a.go.id", nil, "<code>ftp://a.go.id</code>"},
		{"script", "Info | javascript:alert(1)", nil, "Alamat ini tidak bisa dipakai"},
		{"space in address", "Info | https://a.go.id/x y", nil, "Alamat ini tidak bisa dipakai"},
		{"no host", "Info | https://", nil, "Alamat ini tidak bisa dipakai"},
		{"label too long", strings.Repeat("a", 65) + " | https://a.go.id", nil, "terlalu panjang"},
		{"too many", strings.Repeat("Info | https://a.go.id\n", broadcast.MaxButtonRows+1), nil, "Paling banyak 3 tombol"},
		{"html in label", "<b>x</b> & y", nil, "&lt;b&gt;x&lt;/b&gt; &amp; y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &session{Step: stepLinks, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "Pengumuman"}}
			r := f.step(ctx, op, s, input{Plain: tt.typed, HTML: broadcast.EscapeHTML(tt.typed)})
			if tt.want == nil {
				if s.Step != stepLinks || s.Content.Buttons != nil || !strings.Contains(r.Messages[0].Text, tt.err) ||
					!hasButton(r.Messages[0], "op:b:skip") {
					t.Fatalf("refusal = %+v at %s, want %q and a way to skip", r.Messages, s.Step, tt.err)
				}
				return
			}
			if s.Step != stepTargets || !reflect.DeepEqual(s.Content.Buttons, tt.want) {
				t.Fatalf("buttons = %+v at %s (%+v), want %+v", s.Content.Buttons, s.Step, r.Messages, tt.want)
			}
			if err := s.Content.Validate(); err != nil {
				t.Fatalf("accepted buttons broadcast refuses: %v", err)
			}
			if m := s.Content.Message(); !reflect.DeepEqual(m.Buttons, tt.want) {
				t.Fatalf("residents get %+v", m.Buttons)
			}
		})
	}

	t.Run("skip", func(t *testing.T) {
		s := &session{Step: stepLinks, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "x"}}
		if r := f.step(ctx, op, s, input{Data: "op:b:add"}); s.Step != stepLinks || !hasButton(r.Messages[0], "op:b:skip") {
			t.Fatalf("add = %+v", r.Messages)
		}
		if r := f.step(ctx, op, s, input{Data: "op:b:skip"}); s.Step != stepTargets || s.Content.Buttons != nil || !hasButton(r.Messages[0], "op:td") {
			t.Fatalf("skip = %+v at %s", r.Messages, s.Step)
		}
	})
	t.Run("photo keeps its buttons", func(t *testing.T) {
		s := &session{Step: stepLinks, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "Banjir", PhotoFileID: "AgAD"}}
		f.step(ctx, op, s, input{Plain: "Posko | https://bpbd.malangkota.go.id"})
		if m := s.Content.Message(); m.PhotoFileID != "AgAD" || m.Caption != "Banjir" || len(m.Buttons) != 1 {
			t.Fatalf("residents get %+v", m)
		}
	})
}

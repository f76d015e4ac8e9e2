package poster_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/poster"
	"github.com/kimbot/kimbot/region"
)

func TestWriteVillages(t *testing.T) {
	regions := region.NewStore(testenv.DB(t))
	ctx := context.Background()

	t.Run("one village", func(t *testing.T) {
		dir := t.TempDir()
		files, err := poster.WriteVillages(ctx, regions, "35.73.05.1003", "@kimbot_test_bot", dir)
		if err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(dir, "3573051003-tlogomas.png")
		if !slices.Equal(files, []string{want}) {
			t.Fatalf("wrote %v, want %s", files, want)
		}
		text, _ := decodeQR(t, readPNG(t, want))
		if text != "https://t.me/kimbot_test_bot?start=3573051003" {
			t.Fatalf("QR says %q", text)
		}
		assertOnlyFiles(t, dir, files)
	})
	t.Run("a district gives one poster per village", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new", "dir")
		files, err := poster.WriteVillages(ctx, regions, "31.71.05", "kimbot_test_bot", dir)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"3171051001-cempaka-putih-timur.png", "3171051002-cempaka-putih-barat.png", "3171051003-rawasari.png"}
		for i := range want {
			want[i] = filepath.Join(dir, want[i])
		}
		if !slices.Equal(files, want) {
			t.Fatalf("wrote %v, want %v", files, want)
		}
		for _, f := range files {
			code, _, _ := strings.Cut(filepath.Base(f), "-")
			if text, _ := decodeQR(t, readPNG(t, f)); text != "https://t.me/kimbot_test_bot?start="+code {
				t.Fatalf("%s: QR says %q", f, text)
			}
		}
		assertOnlyFiles(t, dir, files)
	})
	t.Run("a small province is allowed", func(t *testing.T) {
		n, err := regions.CountVillages(ctx, "31") // DKI Jakarta: 267 villages
		if err != nil || n > poster.MaxVillages {
			t.Fatalf("DKI Jakarta has %d villages, %v", n, err)
		}
	})
}

func TestWriteVillages_Refuses(t *testing.T) {
	regions := region.NewStore(testenv.DB(t))
	ctx := context.Background()
	tests := []struct {
		code     region.Code
		username string
		wantErr  string
		is       error
	}{
		{"35.73.05.9999", "kimbot_test_bot", "not found", region.ErrNotFound},
		{"99", "kimbot_test_bot", "not found", region.ErrNotFound},
		{"35", "kimbot_test_bot", "pick a city or district", nil}, // Jawa Timur: 8,494 villages
		{"", "kimbot_test_bot", "pick a city", nil},
		{"35.73.05.1003", "kim", "bot username", nil},
		{"35.73.05.1003", "kim-bot", "bot username", nil},
		{"35.73.05.1003", "", "bot username", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.code)+"/"+tt.username, func(t *testing.T) {
			dir := t.TempDir()
			files, err := poster.WriteVillages(ctx, regions, tt.code, tt.username, dir)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			if len(files) != 0 {
				t.Fatalf("wrote %v", files)
			}
			assertOnlyFiles(t, dir, nil)
		})
	}
}

func TestWriteVillages_Cancelled(t *testing.T) {
	regions := region.NewStore(testenv.DB(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := poster.WriteVillages(ctx, regions, "35.73.05", "kimbot_test_bot", t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// assertOnlyFiles checks dir holds exactly files: no temporary leftovers.
func assertOnlyFiles(t *testing.T, dir string, files []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, filepath.Join(dir, e.Name()))
	}
	want := slices.Clone(files)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s holds %v, want %v", dir, got, want)
	}
}

package poster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kimbot/kimbot/region"
)

// MaxVillages is the most posters one WriteVillages call writes: a city
// or district, not a province of thousands of villages.
const MaxVillages = 2000

// botUsernameRE is Telegram's rule for usernames: 5 to 32 letters,
// digits or underscores, starting with a letter.
var botUsernameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)

// ValidBotUsername reports whether name (without "@") can be a Telegram
// bot's username.
func ValidBotUsername(name string) bool { return botUsernameRE.MatchString(name) }

// DeepLink is the link that subscribes a chat to village in one tap.
func DeepLink(botUsername string, village region.Code) string {
	return "https://t.me/" + botUsername + "?start=" + village.Compact()
}

// WriteVillages writes one poster per village inside code (a village,
// district or city; a small province too) into outDir, named
// "<compact code>-<slug>.png", and returns the paths written. It refuses
// unknown codes and areas of more than MaxVillages villages.
func WriteVillages(ctx context.Context, regions *region.Store, code region.Code, botUsername, outDir string) ([]string, error) {
	botUsername = strings.TrimPrefix(botUsername, "@")
	if !ValidBotUsername(botUsername) {
		return nil, fmt.Errorf("bot username %q is not valid: 5-32 letters, digits or underscores, starting with a letter", botUsername)
	}
	villages, err := villagesIn(ctx, regions, code)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating output directory: %w", err)
	}
	names := newPlaceNames(regions)
	var written []string
	for _, v := range villages {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		subtitle, err := names.subtitle(ctx, v)
		if err != nil {
			return written, err
		}
		path := filepath.Join(outDir, v.Code.Compact()+"-"+Slug(v.Name)+".png")
		if err := writeFile(path, DeepLink(botUsername, v.Code), v.Name, subtitle); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// villagesIn checks code and lists the villages it covers.
func villagesIn(ctx context.Context, regions *region.Store, code region.Code) ([]region.Region, error) {
	if code == "" {
		return nil, fmt.Errorf("pick a city, district or village code, e.g. 35.73 or 35.73.05.1003")
	}
	r, err := regions.Get(ctx, code)
	if errors.Is(err, region.ErrNotFound) {
		return nil, fmt.Errorf("region %s: %w", code, region.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if r.Level == region.Village {
		return []region.Region{r}, nil
	}
	n, err := regions.CountVillages(ctx, code)
	if err != nil {
		return nil, err
	}
	if n > MaxVillages {
		return nil, fmt.Errorf("%s (%s) has %d villages, more than %d posters at once: pick a city or district code inside it", r.Name, code, n, MaxVillages)
	}
	return regions.Villages(ctx, code)
}

// placeNames caches district and regency names: a city's villages share
// a handful of them.
type placeNames struct {
	regions *region.Store
	names   map[region.Code]string
}

func newPlaceNames(regions *region.Store) *placeNames {
	return &placeNames{regions: regions, names: map[region.Code]string{}}
}

func (p *placeNames) name(ctx context.Context, code region.Code) (string, error) {
	if n, ok := p.names[code]; ok {
		return n, nil
	}
	r, err := p.regions.Get(ctx, code)
	if err != nil {
		return "", fmt.Errorf("reading region %s: %w", code, err)
	}
	p.names[code] = r.Name
	return r.Name, nil
}

// subtitle is "Kec. Lowokwaru, Kota Malang" for a village.
func (p *placeNames) subtitle(ctx context.Context, village region.Region) (string, error) {
	district, err := p.name(ctx, village.Code.Parent())
	if err != nil {
		return "", err
	}
	regency, err := p.name(ctx, village.Code.Parent().Parent())
	if err != nil {
		return "", err
	}
	return "Kec. " + district + ", " + regency, nil
}

// writeFile renders into a temporary file and renames it, so a poster on
// disk is never half written.
func writeFile(path, link, title, subtitle string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".poster-*.png")
	if err != nil {
		return fmt.Errorf("creating poster file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := Render(tmp, link, title, subtitle); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// Slug is name in lower-case ASCII letters and digits joined by dashes:
// "Soka'an Daya" becomes "soka-an-daya".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "desa"
	}
	return b.String()
}

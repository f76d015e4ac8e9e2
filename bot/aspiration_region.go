package bot

import (
	"context"
	"html"

	"github.com/kimbot/kimbot/region"
)

// regionName is a region's name for messages, or its code if unknown.
func (f *aspFlow) regionName(ctx context.Context, code region.Code) string {
	if f.regions != nil {
		if r, err := f.regions.Get(ctx, code); err == nil {
			return html.EscapeString(r.Name)
		}
	}
	return string(code)
}

package broadcast

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// FileIdentifier asks Telegram which file a file_id names: its
// file_unique_id, the same for every copy and forward of that file
// (getFile). Package bot implements it; errors are *message.SendError.
// Specs: https://core.telegram.org/bots/api#getfile
type FileIdentifier interface {
	UniqueID(ctx context.Context, fileID string) (string, error)
}

// IndexPhotos asks Telegram for the file_unique_id of up to limit
// announcement photos that do not have one yet, so that a forwarded copy
// of the photo is recognised. A file Telegram refuses (a bad file_id from
// the CLI) is marked with "" and never asked again; anything else is
// tried on the next round. It returns how many it indexed.
func (a *Archive) IndexPhotos(ctx context.Context, files FileIdentifier, limit int) (int, error) {
	var todo []struct {
		ID     int64  `db:"id"`
		FileID string `db:"photo_file_id"`
	}
	const q = `SELECT id, photo_file_id FROM announcements WHERE photo_file_id <> '' AND photo_unique_id IS NULL ORDER BY id LIMIT $1`
	if err := a.db.SelectContext(ctx, &todo, q, limit); err != nil {
		return 0, fmt.Errorf("finding photos to index: %w", err)
	}
	n := 0
	for _, t := range todo {
		uid, err := files.UniqueID(ctx, t.FileID)
		if err != nil {
			if k := message.KindOf(err); k != message.Permanent && k != message.ChatNotFound {
				return n, fmt.Errorf("asking Telegram for photo of announcement %d: %w", t.ID, err)
			}
			uid = ""
		}
		const u = `UPDATE announcements SET photo_unique_id = $2 WHERE id = $1 AND photo_unique_id IS NULL`
		if _, err := a.db.ExecContext(ctx, u, t.ID, uid); err != nil {
			return n, fmt.Errorf("indexing photo of announcement %d: %w", t.ID, err)
		}
		n++
	}
	return n, nil
}

// RunPhotoIndex indexes new announcement photos every interval until ctx
// ends (part of serve), so a photo is known to the check seconds after
// it was made, before most residents could forward it.
func (a *Archive) RunPhotoIndex(ctx context.Context, files FileIdentifier, every time.Duration, log *slog.Logger) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := a.IndexPhotos(ctx, files, 50); err != nil && ctx.Err() == nil {
			log.Warn("archive: indexing photos", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// CheckCounts are the checks residents asked for in a scope since a
// time: how many, and how many found an edited copy of an announcement.
type CheckCounts struct {
	Checked, Edited, Official int
}

// CountChecks counts the checks asked from villages within scope ("":
// all, including residents without a village) since since.
func (a *Archive) CountChecks(ctx context.Context, scope region.Code, since time.Time) (CheckCounts, error) {
	const q = `
SELECT count(*) AS checked,
       count(*) FILTER (WHERE result = 'edited') AS edited,
       count(*) FILTER (WHERE result = 'official') AS official
FROM archive_checks
WHERE checked_at >= $1 AND ($2 = '' OR village_code = $2 OR village_code LIKE $3)`
	var c struct {
		Checked  int `db:"checked"`
		Edited   int `db:"edited"`
		Official int `db:"official"`
	}
	if err := a.db.GetContext(ctx, &c, q, since, string(scope), scope.LikePattern()); err != nil {
		return CheckCounts{}, fmt.Errorf("counting checks: %w", err)
	}
	return CheckCounts{Checked: c.Checked, Edited: c.Edited, Official: c.Official}, nil
}

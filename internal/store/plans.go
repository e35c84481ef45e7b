package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Plan is how the engine runs one of the queries behind a reader page.
type Plan struct {
	Name, Query string
	Text        string // the engine's own description, one step a line
}

// ReaderPlans asks the engine how it runs each query a reader page makes,
// so that tests can hold every one of them to an index read in the order
// shown, whatever the archive's size. It writes nothing.
func (s *DB) ReaderPlans(ctx context.Context) ([]Plan, error) {
	now := s.now().UnixMicro()
	queries := []struct {
		name, sql string
		args      []any
	}{
		{"list: the newest row before a time", sqlListLastBefore, []any{listEdition("ru"), now}},
		{"list: one page of articles", sqlListRange(false), []any{listCategory("ru", "politics"), 380, 400}},
		{"article by id", sqlArticle, []any{1, 1}},
		{"categories of listed articles", sqlRelations("(?, ?, ?)")[0], []any{1, 2, 3}},
		{"tags of listed articles", sqlRelations("(?, ?, ?)")[1], []any{1, 2, 3}},
		{"translations", sqlGroup + ` AND a.status = 'published' AND a.published_at <= ? ORDER BY e.position`, []any{1, 1, now}},
		{"comments of an article", sqlComments, []any{1, "published"}},
	}
	var plans []Plan
	opts := &sql.TxOptions{ReadOnly: true}
	t, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer t.Rollback()
	for _, q := range s.d.ExplainSetup {
		if _, err := t.ExecContext(ctx, q); err != nil {
			return nil, s.mapErr(err)
		}
	}
	for _, q := range queries {
		rows, err := t.QueryContext(ctx, s.d.Explain+s.d.Rebind(q.sql), q.args...)
		if err != nil {
			return nil, fmt.Errorf("explaining %s: %w", q.name, s.mapErr(err))
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			lines = append(lines, fmt.Sprintf("%s", vals[len(vals)-1])) // the description is the last column
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		plans = append(plans, Plan{Name: q.name, Query: q.sql, Text: strings.Join(lines, "\n")})
	}
	return plans, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"tamizdat/internal/news"
)

// Kind is how a column's values cross engines: every value of a dump is an
// int64, a string, a []byte or nil, whatever the engine's own type.
type Kind string

const (
	KindInt   Kind = "int"
	KindText  Kind = "text"
	KindBytes Kind = "bytes"
)

// Column is one column of a dumped table.
type Column struct {
	Name string
	Kind Kind
	Null bool // NULL allowed
}

// Table describes one table of a dump.
type Table struct {
	Name    string
	Columns []Column
	// OrderBy is the dump order. Tables with an id are dumped by id, so a
	// row that refers to an earlier row of its own table (a translation, a
	// reply) is loaded after it.
	OrderBy string
	// SelfRef names a column that refers to this table's own id, if any.
	SelfRef string
	// Identity: the table has an id column that the engine numbers itself;
	// after explicit ids are loaded PostgreSQL's sequence must move past them.
	Identity bool
}

// Tables is everything a dump holds, in foreign-key order: a table comes
// after every table it refers to. It is written by hand from the migrations
// (both engines have the same columns) because a backup must not depend on
// what one engine reports about its types; TestDumpDescribesTheSchema checks
// that it matches the migrated schema of both engines. Not dumped:
// schema_migrations (the archive records the version instead), changes
// (a short-lived log for invalidating caches, meaningless elsewhere), and
// what must not outlive its moment or leave the site: desk sessions (a
// restored backup must not let anyone back in), failed sign-ins and the
// keys that hash client addresses; and comment_shingles, an index derived
// from the comments of the last week.
var Tables = []Table{
	{Name: "editions", OrderBy: "code", Columns: []Column{
		{"code", KindText, false}, {"name", KindText, false}, {"position", KindInt, false},
		{"comment_policy", KindText, false},
	}},
	{Name: "settings", OrderBy: "key", Columns: []Column{
		{"key", KindText, false}, {"value", KindText, false},
	}},
	// One-time work already done (the demo content, say) stays done.
	{Name: "claims", OrderBy: "name", Columns: []Column{
		{"name", KindText, false}, {"at", KindInt, false},
	}},
	{Name: "categories", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"edition", KindText, false}, {"slug", KindText, false},
		{"name", KindText, false}, {"position", KindInt, false},
	}},
	{Name: "users", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"email", KindText, false}, {"name", KindText, false},
		{"role", KindText, false}, {"active", KindInt, false}, {"password_hash", KindText, false},
		{"created_at", KindInt, false}, {"totp_secret", KindText, false}, {"totp_step", KindInt, false},
	}},
	{Name: "recovery_codes", OrderBy: "user_id, code_hash", Columns: []Column{
		{"user_id", KindInt, false}, {"code_hash", KindBytes, false}, {"used_at", KindInt, true},
	}},
	{Name: "images", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"created_at", KindInt, false}, {"width", KindInt, false},
		{"height", KindInt, false}, {"format", KindText, false}, {"caption", KindText, false},
		{"credit", KindText, false}, {"alt", KindText, false}, {"uploaded_by", KindInt, true},
	}},
	{Name: "image_variants", OrderBy: "image_id, width", Columns: []Column{
		{"image_id", KindInt, false}, {"width", KindInt, false}, {"height", KindInt, false},
		{"data", KindBytes, false},
	}},
	{Name: "articles", OrderBy: "id", Identity: true, SelfRef: "translation_of", Columns: []Column{
		{"id", KindInt, false}, {"edition", KindText, false}, {"title", KindText, false},
		{"lead", KindText, false}, {"body", KindText, false}, {"byline", KindText, false},
		{"source", KindText, false}, {"status", KindText, false}, {"published_at", KindInt, true},
		{"created_at", KindInt, false}, {"updated_at", KindInt, true}, {"correction", KindText, false},
		{"comment_policy", KindText, false}, {"translation_of", KindInt, true},
		{"translation_group", KindInt, true}, {"top", KindInt, false}, {"breaking", KindInt, false},
		{"image_id", KindInt, true}, {"image_caption", KindText, false}, {"image_credit", KindText, false},
		{"author_id", KindInt, true}, {"search_text", KindText, false}, {"live_at", KindInt, true},
		{"version", KindInt, false}, {"title_search", KindText, false}, {"interview", KindInt, false},
	}},
	{Name: "article_revisions", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"article_id", KindInt, false}, {"version", KindInt, false},
		{"kind", KindText, false}, {"at", KindInt, false}, {"actor_id", KindInt, true},
		{"status", KindText, false}, {"title", KindText, false}, {"lead", KindText, false},
		{"body", KindText, false}, {"byline", KindText, false}, {"source", KindText, false},
		{"correction", KindText, false}, {"interview", KindInt, false},
	}},
	{Name: "article_categories", OrderBy: "article_id, category_id", Columns: []Column{
		{"article_id", KindInt, false}, {"category_id", KindInt, false}, {"position", KindInt, false},
	}},
	{Name: "article_tags", OrderBy: "article_id, tag_key", Columns: []Column{
		{"article_id", KindInt, false}, {"tag_key", KindText, false}, {"tag", KindText, false},
		{"position", KindInt, false},
	}},
	{Name: "pages", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"edition", KindText, false}, {"slug", KindText, false},
		{"title", KindText, false}, {"body", KindText, false}, {"updated_at", KindInt, false},
	}},
	{Name: "comments", OrderBy: "id", Identity: true, SelfRef: "parent_id", Columns: []Column{
		{"id", KindInt, false}, {"article_id", KindInt, false}, {"parent_id", KindInt, true},
		{"name", KindText, false}, {"body", KindText, false}, {"status", KindText, false},
		{"created_at", KindInt, false}, {"fingerprint", KindBytes, true}, {"fp_day", KindInt, true},
		{"dup_key", KindText, false}, {"shingles", KindBytes, true}, {"held_reason", KindText, false},
		{"reports", KindInt, false}, {"moderated_at", KindInt, true}, {"moderated_by", KindInt, true},
	}},
	{Name: "comment_bans", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"fingerprint", KindBytes, false}, {"fp_day", KindInt, false},
		{"until", KindInt, false}, {"reason", KindText, false}, {"created_at", KindInt, false},
		{"created_by", KindInt, true},
	}},
	{Name: "api_tokens", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"user_id", KindInt, false}, {"token_hash", KindBytes, false},
		{"created_at", KindInt, false}, {"expires_at", KindInt, false}, {"last_used_at", KindInt, true},
		{"revoked_at", KindInt, true},
	}},
	{Name: "audit_events", OrderBy: "id", Identity: true, Columns: []Column{
		{"id", KindInt, false}, {"at", KindInt, false}, {"actor_id", KindInt, true},
		{"action", KindText, false}, {"ref", KindText, false}, {"detail", KindText, false},
	}},
}

// NotDumped lists the tables of the schema that a dump leaves out on purpose.
var NotDumped = []string{"schema_migrations", "changes", "sessions", "signin_failures", "day_keys", "comment_shingles",
	// Derived from the articles, and made again after a restore.
	"listings", "article_html", "comment_counts",
	// Readers' fingerprints do not leave the site; after a restore a
	// reader may report a comment they reported before once more.
	"comment_reports"}

// Rows is a table's rows in dump order; each row is a fresh slice the
// receiver may keep. An error ends the sequence.
type Rows = iter.Seq2[[]any, error]

// TableFunc receives one table of a dump: its description, how many rows
// it has, and the rows themselves. The table ends when the function returns.
// Dump, the archive reader and Load all speak it, so a dump can flow from a
// database to an archive, from an archive to a database, or from one
// database to another without being held in memory.
type TableFunc func(t Table, count int64, rows Rows) error

// Dump reads every table of Tables in one read-only transaction, so the
// dump is one consistent moment of the site even while it is being written:
// REPEATABLE READ is a snapshot on PostgreSQL, and a read transaction is
// one in SQLite's WAL mode. Writers are not blocked.
func (s *DB) Dump(ctx context.Context, fn TableFunc) error {
	opts := &sql.TxOptions{ReadOnly: true, Isolation: s.d.SnapshotIsolation}
	// ReadOnly also makes the SQLite driver begin a deferred transaction
	// instead of the immediate one its writers use, which would hold the
	// write lock for the whole dump.
	t, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return s.mapErr(err)
	}
	defer t.Rollback()
	c := conn{q: t, tx: t, s: s}
	for _, tb := range Tables {
		if err := s.dumpTable(ctx, c, tb, fn); err != nil {
			return err
		}
	}
	return s.mapErr(t.Commit())
}

func (s *DB) dumpTable(ctx context.Context, c conn, tb Table, fn TableFunc) error {
	var count int64
	if err := c.queryRow(ctx, `SELECT count(*) FROM `+tb.Name).Scan(&count); err != nil {
		return fmt.Errorf("counting %s: %w", tb.Name, s.mapErr(err))
	}
	rows, err := c.query(ctx, `SELECT `+columnList(tb)+` FROM `+tb.Name+` ORDER BY `+tb.OrderBy)
	if err != nil {
		return fmt.Errorf("reading %s: %w", tb.Name, err)
	}
	defer rows.Close()
	used := false
	seq := func(yield func([]any, error) bool) {
		if used {
			yield(nil, fmt.Errorf("the rows of %s can be read only once", tb.Name))
			return
		}
		used = true
		for rows.Next() {
			raw := make([]any, len(tb.Columns))
			ptrs := make([]any, len(raw))
			for i := range raw {
				ptrs[i] = &raw[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				yield(nil, fmt.Errorf("reading %s: %w", tb.Name, err))
				return
			}
			row, err := Normalize(tb, raw)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(row, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("reading %s: %w", tb.Name, s.mapErr(err)))
		}
	}
	if err := fn(tb, count, seq); err != nil {
		return err
	}
	return rows.Close()
}

func columnList(tb Table) string {
	names := make([]string, len(tb.Columns))
	for i, c := range tb.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// Normalize turns what a driver returned for a row of tb into the values
// every engine accepts: int64, string, []byte or nil, by the column kinds.
// SQLite may return a BLOB as string or []byte; pgx returns int64 for every
// integer type. Anything else, and NULL in a NOT NULL column, is an error.
func Normalize(tb Table, raw []any) ([]any, error) {
	if len(raw) != len(tb.Columns) {
		return nil, fmt.Errorf("%s: a row has %d values for %d columns", tb.Name, len(raw), len(tb.Columns))
	}
	row := make([]any, len(raw))
	for i, col := range tb.Columns {
		v, err := normalizeValue(col, raw[i])
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %v", tb.Name, col.Name, err)
		}
		row[i] = v
	}
	return row, nil
}

func normalizeValue(col Column, v any) (any, error) {
	if v == nil {
		if !col.Null {
			return nil, fmt.Errorf("NULL in a column that does not allow it")
		}
		return nil, nil
	}
	switch col.Kind {
	case KindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case int:
			return int64(x), nil
		case []byte:
			return strconv.ParseInt(string(x), 10, 64)
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case KindText:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return nil, fmt.Errorf("a %T where text belongs", v)
		}
		// Text crosses engines and the archive as UTF-8; anything else
		// would be changed on the way, so it is refused rather than
		// silently altered.
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("text that is not valid UTF-8")
		}
		return s, nil
	case KindBytes:
		switch x := v.(type) {
		case []byte:
			return slices.Clone(x), nil
		case string:
			return []byte(x), nil
		}
	}
	return nil, fmt.Errorf("a %T where %s belongs", v, col.Kind)
}

// Counts returns the number of rows of every dumped table.
func (s *DB) Counts(ctx context.Context) (map[string]int64, error) {
	return s.counts(ctx, s.read())
}

func (s *DB) counts(ctx context.Context, c conn) (map[string]int64, error) {
	m := make(map[string]int64, len(Tables))
	for _, tb := range Tables {
		var n int64
		if err := c.queryRow(ctx, `SELECT count(*) FROM `+tb.Name).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", tb.Name, s.mapErr(err))
		}
		m[tb.Name] = n
	}
	return m, nil
}

// IsEmpty reports whether the database holds no site content: no row in
// any dumped table but editions, which every new database has. When it is
// not empty, what it holds is described for an error message: "rows in
// settings (10), articles (156)".
func (s *DB) IsEmpty(ctx context.Context) (bool, string, error) {
	return s.isEmpty(ctx, s.read())
}

func (s *DB) isEmpty(ctx context.Context, c conn) (bool, string, error) {
	counts, err := s.counts(ctx, c)
	if err != nil {
		return false, "", err
	}
	var held []string
	for _, tb := range Tables {
		if n := counts[tb.Name]; tb.Name != "editions" && n > 0 {
			held = append(held, fmt.Sprintf("%s (%d)", tb.Name, n))
		}
	}
	return len(held) == 0, "rows in " + strings.Join(held, ", "), nil
}

// Load fills an empty database with a dump, all in one transaction: if
// anything fails, nothing is written. src calls its argument once per table,
// in the order of Tables, as Dump and the archive reader do. The editions a
// new database starts with are replaced by the dump's, so their names,
// positions and policies come across.
func (s *DB) Load(ctx context.Context, src func(TableFunc) error) error {
	return s.tx(ctx, func(c conn) error {
		// Checked again inside the transaction: the database may have been
		// written since the caller looked.
		empty, held, err := s.isEmpty(ctx, c)
		if err != nil {
			return err
		}
		if !empty {
			return news.Errorf(news.ECONFLICT, "the target database is not empty (it has %s); load only into a new, empty database", held)
		}
		if _, err := c.exec(ctx, `DELETE FROM editions`); err != nil {
			return err
		}
		next := 0
		err = src(func(tb Table, count int64, rows Rows) error {
			if next >= len(Tables) || tb.Name != Tables[next].Name {
				want := "nothing more"
				if next < len(Tables) {
					want = Tables[next].Name
				}
				return news.Errorf(news.EINVALID, "the dump has table %s where %s belongs", tb.Name, want)
			}
			if !slices.Equal(tb.Columns, Tables[next].Columns) {
				return news.Errorf(news.EINVALID, "the dump's table %s has other columns than this tamizdat's", tb.Name)
			}
			tb = Tables[next]
			next++
			return s.loadTable(ctx, c, tb, count, rows)
		})
		if err != nil {
			return err
		}
		if next != len(Tables) {
			return news.Errorf(news.EINVALID, "the dump ends before table %s", Tables[next].Name)
		}
		if err := s.resetSequences(ctx, c); err != nil {
			return err
		}
		if err := s.rebuildDerived(ctx, c); err != nil {
			return err
		}
		// A server may already serve this database (it was started to
		// create it): the change log tells it to drop the settings,
		// editions and menus it cached while the database was empty.
		return s.recordChange(ctx, c, ChangeSettings, "")
	})
}

// Rows are inserted several per statement: one round trip per row is what
// makes a load slow on PostgreSQL. The batch is bounded in rows, bytes and
// placeholders (SQLite allows 32766, PostgreSQL 65535).
const (
	batchRows   = 200
	batchBytes  = 4 << 20
	batchParams = 4000
)

func (s *DB) loadTable(ctx context.Context, c conn, tb Table, count int64, rows Rows) error {
	selfRef := slices.IndexFunc(tb.Columns, func(col Column) bool { return col.Name == tb.SelfRef })
	idCol := slices.IndexFunc(tb.Columns, func(col Column) bool { return col.Name == "id" })
	perBatch := min(batchRows, max(1, batchParams/len(tb.Columns)))
	var (
		batch   []any
		nBatch  int
		size    int
		loaded  int64
		forward [][2]int64 // id, reference to a row not loaded yet
	)
	flush := func() error {
		if nBatch == 0 {
			return nil
		}
		if _, err := c.exec(ctx, insertSQL(tb, nBatch), batch...); err != nil {
			return fmt.Errorf("loading %s: %w", tb.Name, err)
		}
		batch, nBatch, size = batch[:0], 0, 0
		return nil
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		row, err := Normalize(tb, row)
		if err != nil {
			return news.Errorf(news.EINVALID, "the dump is not valid at row %d: %v", loaded+1, err)
		}
		if err := loadable(tb, row, loaded+1, idCol); err != nil {
			return err
		}
		// Rows come in id order, so a reference to an earlier row is
		// already loaded. One to a later row (an article linked as the
		// translation of a newer one) is set once the table is in.
		if selfRef >= 0 && idCol >= 0 && row[selfRef] != nil && row[selfRef].(int64) >= row[idCol].(int64) {
			forward = append(forward, [2]int64{row[idCol].(int64), row[selfRef].(int64)})
			row[selfRef] = nil
		}
		batch = append(batch, row...)
		nBatch++
		for _, v := range row {
			switch x := v.(type) {
			case string:
				size += len(x)
			case []byte:
				size += len(x)
			default:
				size += 8
			}
		}
		loaded++
		if nBatch >= perBatch || size >= batchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for _, f := range forward {
		if _, err := c.exec(ctx, `UPDATE `+tb.Name+` SET `+tb.SelfRef+` = ? WHERE id = ?`, f[1], f[0]); err != nil {
			return fmt.Errorf("loading %s: %w", tb.Name, err)
		}
	}
	if loaded != count {
		return news.Errorf(news.EINVALID, "the dump announced %d rows of %s and held %d", count, tb.Name, loaded)
	}
	return nil
}

// loadable refuses a row with text that the one rule of text (news.CheckText)
// never lets in and PostgreSQL cannot hold: NUL (invalid UTF-8 Normalize
// refuses already). A site of an older tamizdat on SQLite may have stored
// it; the row is named so that it can be corrected there. Load is one
// transaction, so the rows before it are not written either, on any
// engine: a site restored on SQLite would serve those bytes and make
// backups that PostgreSQL refuses in turn.
func loadable(tb Table, row []any, n int64, idCol int) error {
	for i, col := range tb.Columns {
		if s, ok := row[i].(string); ok && strings.IndexByte(s, 0) >= 0 {
			which := fmt.Sprintf("row %d of %s", n, tb.Name)
			if idCol >= 0 {
				which += fmt.Sprintf(" (id %d)", row[idCol])
			}
			return news.Errorf(news.EINVALID, "%s holds a NUL character (U+0000) in column %s, which no text may hold "+
				"and PostgreSQL cannot store; remove it on the site the dump comes from and make the dump again", which, col.Name)
		}
	}
	return nil
}

func insertSQL(tb Table, n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(tb.Columns)), ", ") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + tb.Name + " (" + columnList(tb) + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// resetSequences moves PostgreSQL's identity sequences past the loaded ids,
// or the next article would be given an id that is taken. SQLite numbers a
// new row max(id)+1 by itself.
func (s *DB) resetSequences(ctx context.Context, c conn) error {
	if s.d.ResetSequence == "" {
		return nil
	}
	for _, tb := range Tables {
		if !tb.Identity {
			continue
		}
		if _, err := c.exec(ctx, strings.ReplaceAll(s.d.ResetSequence, "{table}", tb.Name)); err != nil {
			return fmt.Errorf("moving the id sequence of %s: %w", tb.Name, err)
		}
	}
	return nil
}

// LatestSchema is the schema version the dialect's migrations reach: what a
// database of this binary is at once migrated, known without opening one.
func LatestSchema(d Dialect) (int, error) {
	ms, err := (&DB{d: d}).migrations()
	return len(ms), err
}

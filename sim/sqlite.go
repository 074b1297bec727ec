package sim

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed schema/orders.sql
var ordersSchema string

//go:embed schema/consumer.sql
var consumerSchema string

// labTimeFormat is fixed-width so lab times stored as TEXT sort and compare
// correctly in SQL, and read plainly in the sqlite3 shell.
const labTimeFormat = "2006-01-02T15:04:05.000Z"

func formatLabTime(t time.Time) string { return t.UTC().Format(labTimeFormat) }

// openSQLite opens (creating when missing) a SQLite file in WAL mode and
// applies schema. Write transactions take the lock at BEGIN (_txlock), so
// two writers never deadlock upgrading a read lock. A scratch file is
// deleted with its lab, so it skips fsync: a lab opens in a few
// milliseconds, which the explorer needs for thousands of runs.
func openSQLite(ctx context.Context, path, schema string, busy time.Duration, scratch bool) (*sql.DB, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		what := "not a regular file"
		if info.IsDir() {
			what = "it is a directory"
		}
		return nil, fmt.Errorf("open %s: %s, not a database file", path, what)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	if scratch {
		q.Add("_pragma", "synchronous(off)")
	} else {
		q.Add("_pragma", "synchronous(normal)")
	}
	// Checkpoint less often than the default 1000 pages: the relay rewrites
	// the same hot pages batch after batch, and each checkpoint copies them.
	q.Add("_pragma", "wal_autocheckpoint(8000)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", sqliteURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Look before the first write: WAL mode and the schema would both
	// change a database that belongs to another program.
	if err := checkOwnTables(ctx, db, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, friendlySQLiteError(err))
	}
	// WAL is a property of the file, so setting it once covers every
	// connection in the pool.
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode = wal`); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, friendlySQLiteError(err))
	}
	if err := applySchema(ctx, db, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, friendlySQLiteError(err))
	}
	return db, nil
}

// sqliteURI names path as a SQLite URI filename. SQLite reads "?" as the
// start of parameters, "#" as a fragment and "%XX" as an escape, so a
// directory called "my?lab" would otherwise open the file "my" next to it.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

var schemaTable = regexp.MustCompile(`(?i)CREATE TABLE IF NOT EXISTS (\w+)`)

// checkOwnTables refuses a database holding tables the schema does not
// define: it belongs to another program (or is another of the lab's
// files), and the lab would write its tables into it. A new, empty file,
// or one the lab made, passes.
func checkOwnTables(ctx context.Context, db *sql.DB, schema string) error {
	var own []string
	for _, m := range schemaTable.FindAllStringSubmatch(schema, -1) {
		own = append(own, m[1])
	}
	rs, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return err
	}
	var foreign []string
	for rs.Next() {
		var name string
		if err := rs.Scan(&name); err != nil {
			rs.Close()
			return err
		}
		if !slices.Contains(own, name) {
			foreign = append(foreign, strconv.Quote(name))
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	if len(foreign) > 0 {
		return fmt.Errorf("this is a SQLite database, but not the lab's: it holds the table(s) %s (the lab's are %s); give --db a directory of its own",
			strings.Join(foreign, ", "), strings.Join(own, ", "))
	}
	return nil
}

// applySchema runs every statement in one transaction: one commit instead
// of one per CREATE.
func applySchema(ctx context.Context, db *sql.DB, schema string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// friendlySQLiteError turns the codes a user can cause into plain words.
func friendlySQLiteError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return errors.New("not a SQLite database (is --db pointing at another kind of file?)")
		case sqlite3.SQLITE_CORRUPT:
			return errors.New("the database file is corrupted")
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return errors.New("cannot write the database file (check the directory's permissions)")
		}
	}
	return err
}

// isUniqueViolation reports a UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// isBusy reports that another transaction holds the write lock.
func isBusy(err error) bool {
	if errors.Is(err, errWriteBusy) {
		return true
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

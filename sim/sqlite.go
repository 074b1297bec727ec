package sim

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
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
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	if scratch {
		q.Add("_pragma", "synchronous(off)")
	} else {
		q.Add("_pragma", "synchronous(normal)")
	}
	q.Add("_pragma", "journal_mode(wal)")
	// Checkpoint less often than the default 1000 pages: the relay rewrites
	// the same hot pages batch after batch, and each checkpoint copies them.
	q.Add("_pragma", "wal_autocheckpoint(8000)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := applySchema(ctx, db, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, friendlySQLiteError(err))
	}
	return db, nil
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

package ui

import (
	"context"

	"outboxlab/sim"
)

// dataPageSize is how many rows a table keeps around its visible window.
// A page is read from the lab only when the table draws a row outside it,
// so a table of a hundred thousand rows costs one small query per scroll
// or per change, never a read of every row.
const dataPageSize = 100

// dataPager keeps one page of a table's rows around the visible window,
// and the page the previous view showed, so a row that changed in place
// (an outbox row published, a delivery acked) can be marked.
//
// A pager belongs to the UI goroutine: it reads the lab from there, which
// is a few milliseconds for a page of SQLite rows.
type dataPager[T any] struct {
	read func(ctx context.Context, lab *sim.Lab, offset, limit int) ([]T, error)
	// loaded, when set, derives marks from a page just read (which of its
	// orders are committed, which orders it holds twice...).
	loaded func(lab *sim.Lab, rows []T)

	lab       *sim.Lab
	ready     bool // rows is the page read for the current version
	start     int  // index of rows[0]
	rows      []T
	prevStart int
	prevRows  []T // the page as the previous view had it; nil when nothing changed
	reads     int // pages read so far, for tests
	err       error
}

// row returns row i, reading its page when the pager does not hold it.
func (p *dataPager[T]) row(i int) (T, bool) {
	if !p.ready || i < p.start || i >= p.start+dataPageSize {
		p.load(i)
	}
	if j := i - p.start; j >= 0 && j < len(p.rows) {
		return p.rows[j], true
	}
	var zero T
	return zero, false
}

// load reads the page centred on row i, so every visible row lands in it
// whichever visible row the table asks for first.
func (p *dataPager[T]) load(i int) {
	p.start = max(0, i-dataPageSize/2)
	p.rows, p.err = p.read(context.Background(), p.lab, p.start, dataPageSize)
	p.ready = true // a failed read is not retried for every cell; the next version reads again
	p.reads++
	if p.err == nil && p.loaded != nil {
		p.loaded(p.lab, p.rows)
	}
}

// fill stores a page the caller read itself (Redis keys come with their
// total, so the count and the first page are one read).
func (p *dataPager[T]) fill(start int, rows []T, err error) {
	p.start, p.rows, p.err, p.ready = start, rows, err, true
	p.reads++
	if err == nil && p.loaded != nil {
		p.loaded(p.lab, rows)
	}
}

// turn is called when the table's version moved: the page goes stale and
// becomes the previous one.
func (p *dataPager[T]) turn() {
	p.prevStart, p.prevRows = p.start, nil
	if p.ready {
		p.prevRows = p.rows
	}
	p.ready, p.rows = false, nil
}

// grow is turn for a table whose rows never change once written: a full
// page is still right (new rows only come after it), so it stays and
// nothing is read; a page that reached the old end goes stale.
func (p *dataPager[T]) grow() {
	if p.ready && len(p.rows) == dataPageSize {
		p.prevRows = nil
		return
	}
	p.turn()
}

// settle is called when a view left the table as it was: nothing changed.
func (p *dataPager[T]) settle() { p.prevRows = nil }

// reset forgets everything: a new lab (Reset, Back) shares no rows.
func (p *dataPager[T]) reset(lab *sim.Lab) {
	p.lab, p.ready, p.rows, p.prevRows, p.start, p.err = lab, false, nil, nil, 0, nil
}

// before returns row i as the previous view had it, when the previous page
// held it.
func (p *dataPager[T]) before(i int) (T, bool) {
	if j := i - p.prevStart; p.prevRows != nil && j >= 0 && j < len(p.prevRows) {
		return p.prevRows[j], true
	}
	var zero T
	return zero, false
}

// dataTone colours a cell's text.
type dataTone uint8

const (
	tonePlain dataTone = iota
	toneGood           // published
	toneBad            // phantom, applied twice, dead
	toneFaint          // nothing to show yet
)

// dataSource is what a table shows: a row count per view, and cells.
type dataSource interface {
	// sync takes a new view. It returns the row count and whether the
	// table must redraw (rows or marks changed).
	sync(v View) (rows int, redraw bool)
	// cell returns the text of one cell and its colour.
	cell(row, col int) (string, dataTone)
	// fresh reports that a row is new, or changed, since the previous view.
	fresh(row int) bool
}

// dataStamp is the version a table's page is valid for: one or two of the
// lab's table versions.
type dataStamp [2]int64

// dataList is a table whose rows are only ever appended (orders, outbox,
// broker log, effects...). A row is fresh when its index is past the
// previous view's count, or when it differs from the previous page's row
// at the same index.
type dataList[T comparable] struct {
	page    dataPager[T]
	count   func(s sim.Snapshot) int
	version func(s sim.Snapshot) dataStamp
	text    func(r T, col int) (string, dataTone)
	onView  func(v View) // optional: read marks from the view (invariants)
	// written says rows never change once written (orders, effects,
	// inbox): a new version only appends, so a full page is kept.
	written bool

	lab      *sim.Lab
	ver      dataStamp
	rows     int
	prevRows int  // rows the previous view had: rows from here on are new
	marking  bool // some rows may be marked fresh
}

func (s *dataList[T]) sync(v View) (int, bool) {
	n, ver := s.count(v.Snap), s.version(v.Snap)
	redraw := s.marking || n != s.rows
	switch {
	case v.Lab != s.lab: // the first view, or a new lab: nothing is new in it
		s.page.reset(v.Lab)
		s.prevRows, redraw = n, true
	case ver != s.ver && s.written && n >= s.rows:
		s.page.grow()
		s.prevRows, redraw = s.rows, true
	case ver != s.ver:
		s.page.turn()
		s.prevRows, redraw = s.rows, true
	default:
		s.page.settle()
		s.prevRows = n
	}
	if s.onView != nil {
		s.onView(v)
	}
	s.lab, s.ver, s.rows = v.Lab, ver, n
	s.marking = s.prevRows < n || s.page.prevRows != nil
	return n, redraw
}

func (s *dataList[T]) cell(row, col int) (string, dataTone) {
	r, ok := s.page.row(row)
	if !ok {
		return "…", toneFaint
	}
	return s.text(r, col)
}

func (s *dataList[T]) fresh(row int) bool {
	if row >= s.prevRows {
		return true
	}
	old, ok := s.page.before(row)
	if !ok {
		return false
	}
	cur, ok := s.page.row(row)
	return ok && cur != old
}

// dataJoin shows several lists one after the other (the deliveries of
// each consumer, in ConsumerNames order).
type dataJoin struct {
	parts []dataSource
	sizes []int
}

func (j *dataJoin) sync(v View) (int, bool) {
	total, redraw := 0, false
	for i, p := range j.parts {
		n, r := p.sync(v)
		j.sizes[i] = n
		total += n
		redraw = redraw || r
	}
	return total, redraw
}

// locate maps a row of the join to a part and a row in it.
func (j *dataJoin) locate(row int) (dataSource, int) {
	for i, n := range j.sizes {
		if row < n {
			return j.parts[i], row
		}
		row -= n
	}
	return nil, 0
}

func (j *dataJoin) cell(row, col int) (string, dataTone) {
	if p, r := j.locate(row); p != nil {
		return p.cell(r, col)
	}
	return "…", toneFaint
}

func (j *dataJoin) fresh(row int) bool {
	p, r := j.locate(row)
	return p != nil && p.fresh(r)
}

// dataKeys is the Redis keys table. Keys are sorted, so a new key moves
// the rows after it: freshness goes by key, not by index. Counts has no
// Redis total, so a version change reads the page at the window, which
// brings the total along.
type dataKeys struct {
	page dataPager[sim.KeyView]
	text func(k sim.KeyView, col int) (string, dataTone)

	lab     *sim.Lab
	ver     int64
	rows    int
	prev    map[string]sim.KeyView // the previous page, by key
	prevAll bool                   // prev held every key: a key not in it is new
	marking bool
}

func (s *dataKeys) sync(v View) (int, bool) {
	ver := v.Snap.Versions.Redis
	if v.Lab == s.lab && ver == s.ver {
		redraw := s.marking
		s.prev, s.prevAll, s.marking = nil, false, false
		return s.rows, redraw
	}
	if v.Lab == s.lab {
		s.prev = make(map[string]sim.KeyView, len(s.page.rows))
		for _, k := range s.page.rows {
			s.prev[k.Key] = k
		}
		s.prevAll = s.page.ready && s.page.start == 0 && len(s.page.rows) == s.rows
		s.page.turn()
	} else {
		s.page.reset(v.Lab)
		s.prev, s.prevAll = nil, false
	}
	start := s.page.start
	rows, total, err := v.Lab.RedisKeys(context.Background(), start, dataPageSize)
	s.page.fill(start, rows, err)
	s.lab, s.ver, s.rows = v.Lab, ver, total
	s.marking = s.prev != nil
	return total, true
}

func (s *dataKeys) cell(row, col int) (string, dataTone) {
	k, ok := s.page.row(row)
	if !ok {
		return "…", toneFaint
	}
	return s.text(k, col)
}

func (s *dataKeys) fresh(row int) bool {
	if s.prev == nil {
		return false
	}
	k, ok := s.page.row(row)
	if !ok {
		return false
	}
	old, seen := s.prev[k.Key]
	if !seen {
		return s.prevAll
	}
	return old.State != k.State || old.Fingerprint != k.Fingerprint || old.OrderID != k.OrderID || old.Status != k.Status
}

// readRedisKeys pages RedisKeys for the pager.
func readRedisKeys(ctx context.Context, lab *sim.Lab, offset, limit int) ([]sim.KeyView, error) {
	rows, _, err := lab.RedisKeys(ctx, offset, limit)
	return rows, err
}

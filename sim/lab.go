package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// MaxHeaderBytes bounds a request's headers.
const MaxHeaderBytes = 16 << 10

// Options configure a lab. The zero value is a fresh lab on loopback with
// an embedded Redis and SQLite files in a temporary directory.
type Options struct {
	Listen    string // HTTP address; default 127.0.0.1:0 (a free port)
	RedisAddr string // external Redis; empty means embedded miniredis
	Dir       string // where the SQLite files live; empty means a temp dir removed on Close
	Seed      uint64 // seeds order and event IDs

	LockTTL   time.Duration // how long an in-flight key blocks retries; default 30s
	Retention time.Duration // how long a completed key replays; default 24h

	RelayBatch       int           // rows per relay cycle; default 100
	RelayMaxAttempts int           // failed publishes before a row is dead; default 5
	RelayBackoff     time.Duration // first retry delay, doubled per attempt; default 1s
	RelayMaxBackoff  time.Duration // cap on the delay; default 1m
	ConsumerBatch    int           // deliveries per consumer step; default 100

	BusyTimeout time.Duration // how long a write waits for SQLite's lock; default 2s
	// WriteTimeout bounds how long a client may take to read an answer;
	// default 10s. A request paused on a named point may wait as long as
	// the presenter likes: its deadline starts once its answer is ready.
	WriteTimeout time.Duration
	TraceLimit   int // events kept in memory; default 200,000
}

func (o *Options) fillDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	defInt := func(i *int, v int) {
		if *i <= 0 {
			*i = v
		}
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	def(&o.LockTTL, 30*time.Second)
	def(&o.Retention, 24*time.Hour)
	defInt(&o.RelayBatch, 100)
	defInt(&o.RelayMaxAttempts, 5)
	def(&o.RelayBackoff, time.Second)
	def(&o.RelayMaxBackoff, time.Minute)
	defInt(&o.ConsumerBatch, 100)
	def(&o.BusyTimeout, 2*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	defInt(&o.TraceLimit, 200_000)
}

// versions count changes per table, so a reader (the UI) reloads only what
// moved since it last looked.
type versions struct {
	orders, outbox, broker, consumers, redis, paused, client, switches atomic.Int64
}

// Lab is one running instance of the whole system. Its driver methods
// (Send, StepRelay, Resume, ...) are safe to call from any goroutine; they
// run one at a time.
type Lab struct {
	opts  Options
	clock *Clock
	ids   *idSource
	trace *Trace
	pts   *pointSet

	swMu     sync.Mutex
	switches Switches

	redis     *redisBackend
	idem      *idemStore
	db        *sql.DB
	writes    writeGate // one orders.db write transaction at a time
	broker    *Broker
	consumers []*consumer
	relay     *relay
	svc       *service
	checker   *checker
	client    *Client

	listener net.Listener
	server   *http.Server
	dir      string
	tempDir  bool

	act     sync.Mutex // serialises driver actions
	works   workSet
	actions []Action

	keysMu sync.Mutex
	keys   map[string]bool // keys this lab reserved, for the stuck-key check

	versions      versions
	loseResponse  atomic.Bool
	anonRequests  atomic.Int64
	relayBatch    atomic.Int64
	closeOnce     sync.Once
	autoCancel    context.CancelFunc
	autoDone      chan struct{}
	lastChecked   []InvariantResult
	lastCheckedMu sync.Mutex
}

// Open starts a lab: Redis, the SQLite files, the HTTP server and the
// consumers. Close it when done.
func Open(opts Options) (*Lab, error) {
	opts.fillDefaults()
	ctx := context.Background()
	l := &Lab{opts: opts, clock: NewClock(), keys: map[string]bool{}, switches: DefaultSwitches()}
	l.relayBatch.Store(int64(opts.RelayBatch))
	l.trace = newTrace(l.clock, opts.TraceLimit)
	l.pts = newPointSet(l.clock)
	l.pts.onPark = l.works.parked
	l.svc = &service{lab: l, open: map[string]bool{}}
	l.relay = &relay{lab: l}
	l.writes = newWriteGate()
	l.broker = newBroker(l.clock, ConsumerNames)

	ok := false
	defer func() {
		if !ok {
			l.shutdown()
		}
	}()
	if err := l.openDir(); err != nil {
		return nil, err
	}
	var err error
	if l.db, err = openSQLite(ctx, filepath.Join(l.dir, "orders.db"), ordersSchema, opts.BusyTimeout, l.tempDir); err != nil {
		return nil, err
	}
	var existing int
	if err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders`).Scan(&existing); err != nil {
		return nil, fmt.Errorf("read orders.db: %w", friendlySQLiteError(err))
	}
	seed := opts.Seed
	if existing > 0 {
		// A kept database already holds IDs from earlier runs; a fresh
		// stream keeps new IDs from colliding with them.
		seed ^= uint64(time.Now().UnixNano())
	}
	l.ids = newIDSource(l.clock, seed)
	effects := map[string]func(OrderCreated) string{"warehouse": warehouseEffect, "email": emailEffect}
	lanes := map[string]Lane{"warehouse": LaneWarehouse, "email": LaneEmail}
	for _, name := range ConsumerNames {
		db, err := openSQLite(ctx, filepath.Join(l.dir, name+".db"), consumerSchema, opts.BusyTimeout, l.tempDir)
		if err != nil {
			return nil, err
		}
		l.consumers = append(l.consumers, &consumer{lab: l, name: name, lane: lanes[name], db: db, effect: effects[name]})
	}
	if l.redis, err = openRedis(ctx, opts.RedisAddr); err != nil {
		return nil, err
	}
	l.idem = &idemStore{rdb: l.redis, lockTTL: opts.LockTTL, retention: opts.Retention}
	l.checker = newChecker(l)
	if existing > 0 {
		if _, err := l.recoverBroker(ctx); err != nil {
			return nil, err
		}
	}

	if l.listener, err = net.Listen("tcp", opts.Listen); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", opts.Listen, err)
	}
	l.server = &http.Server{
		Handler:           l.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      opts.WriteTimeout,
		IdleTimeout:       60 * time.Second,
		// Room past the limit so limitHeaders can refuse with the API's JSON
		// error; net/http's own plain-text 431 is the backstop.
		MaxHeaderBytes: 4 * MaxHeaderBytes,
	}
	go l.server.Serve(l.listener)
	l.client = newClient(l.APIURL())
	ok = true
	return l, nil
}

func (l *Lab) openDir() error {
	if l.opts.Dir == "" {
		dir, err := os.MkdirTemp("", "outboxlab-")
		if err != nil {
			return fmt.Errorf("create a temporary directory: %w", err)
		}
		l.dir, l.tempDir = dir, true
		return nil
	}
	if err := os.MkdirAll(l.opts.Dir, 0o755); err != nil {
		return fmt.Errorf("database directory %s: %w", l.opts.Dir, errors.Unwrap(err))
	}
	probe, err := os.CreateTemp(l.opts.Dir, ".outboxlab-write-test-")
	if err != nil {
		return fmt.Errorf("database directory %s is not writable", l.opts.Dir)
	}
	probe.Close()
	os.Remove(probe.Name())
	l.dir = l.opts.Dir
	return nil
}

// Close stops everything. Paused work is crashed so no goroutine is left
// blocked; a temporary directory is removed.
func (l *Lab) Close() error {
	l.closeOnce.Do(l.shutdown)
	return nil
}

func (l *Lab) shutdown() {
	l.StopAuto()
	l.pts.crashAll()
	if l.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		l.server.Shutdown(ctx)
		cancel()
	} else if l.listener != nil {
		l.listener.Close()
	}
	if l.client != nil {
		l.client.http.CloseIdleConnections()
	}
	if l.redis != nil {
		l.redis.close()
	}
	for _, c := range l.consumers {
		c.db.Close()
	}
	if l.db != nil {
		l.db.Close()
	}
	if l.tempDir {
		os.RemoveAll(l.dir)
	}
}

// APIURL is the order service's base URL, for curl. When the server
// listens on every interface it names loopback, which always reaches it.
func (l *Lab) APIURL() string {
	addr := l.listener.Addr().(*net.TCPAddr)
	if addr.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port))
	}
	return "http://" + addr.String()
}

// ListenAddr is the address the server really listens on.
func (l *Lab) ListenAddr() string { return l.listener.Addr().String() }

// RedisAddr is the Redis address, for redis-cli -p.
func (l *Lab) RedisAddr() string { return l.redis.addr }

// DBDir is the directory holding orders.db, warehouse.db and email.db.
func (l *Lab) DBDir() string { return l.dir }

// Clock is the lab clock.
func (l *Lab) Clock() *Clock { return l.clock }

// Trace is the lab's trace.
func (l *Lab) Trace() *Trace { return l.trace }

// Broker is the lab's broker, for paged reads of its log and deliveries.
func (l *Lab) Broker() *Broker { return l.broker }

// Switches returns the current pattern switches.
func (l *Lab) Switches() Switches {
	l.swMu.Lock()
	defer l.swMu.Unlock()
	return l.switches
}

// RelayBatch is the number of rows one relay cycle reads.
func (l *Lab) RelayBatch() int { return int(l.relayBatch.Load()) }

func (l *Lab) hit(point, work, subject string) error {
	err := l.pts.hit(point, work, subject)
	if err != nil {
		l.note(laneOfWork(work), laneOfWork(work), work, "crash", "", "", "", point)
	}
	return err
}

// note appends a trace event.
func (l *Lab) note(from, to Lane, work, what, key, orderID, eventID, detail string) {
	l.trace.add(Event{From: from, To: to, Work: work, What: what, Key: key, OrderID: orderID, EventID: eventID, Detail: detail})
}

func (l *Lab) changed(v *atomic.Int64) { v.Add(1) }

func laneOfWork(work string) Lane {
	switch {
	case work == "relay":
		return LaneRelay
	case work == "consumer:warehouse":
		return LaneWarehouse
	case work == "consumer:email":
		return LaneEmail
	}
	return LaneAPI
}

func (l *Lab) trackKey(key string) {
	l.keysMu.Lock()
	l.keys[key] = true
	l.keysMu.Unlock()
	l.changed(&l.versions.redis)
}

func (l *Lab) untrackKey(key string) {
	l.keysMu.Lock()
	delete(l.keys, key)
	l.keysMu.Unlock()
	l.changed(&l.versions.redis)
}

func (l *Lab) trackedKeys() []string {
	l.keysMu.Lock()
	defer l.keysMu.Unlock()
	out := make([]string, 0, len(l.keys))
	for k := range l.keys {
		out = append(out, k)
	}
	return out
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"outboxlab/sim"
)

const serveUsage = `Usage: outboxlab serve [flags]

Runs the lab headless until Ctrl-C or SIGTERM: the order API over HTTP,
Redis (embedded unless --redis-addr) and the SQLite files (in a temporary
directory removed on exit, unless --db). The relay and the consumers run by
themselves. It prints where everything is:

  api: URL       the order service, for curl
  redis: ADDR    the Redis holding the idem:<key> records, for redis-cli
  db: DIR        orders.db, warehouse.db and email.db, for sqlite3

Flags:
`

// autoInterval is how often the relay and the consumers run in serve mode.
const autoInterval = 200 * time.Millisecond

// serve runs the lab headless until signals delivers.
func serve(args []string, stdout, stderr io.Writer, signals notifier) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, on one line
	listen := fs.String("listen", "127.0.0.1:0", "`ADDR` (host:port) the order API listens on; port 0 picks a free one")
	redisAddr := fs.String("redis-addr", "", "use the Redis server at `ADDR` instead of an embedded one")
	dir := fs.String("db", "", "keep the SQLite files in `DIR` (default: a temporary directory)")
	seed := fs.Uint64("seed", 1, "seed for order and event IDs")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, serveUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usageError(stderr, err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return usageError(stderr, fmt.Sprintf("--listen %q is not HOST:PORT", *listen))
	}
	if *redisAddr != "" {
		if _, _, err := net.SplitHostPort(*redisAddr); err != nil {
			return usageError(stderr, fmt.Sprintf("--redis-addr %q is not HOST:PORT", *redisAddr))
		}
	}
	if *dir != "" {
		// An absolute path prints a db: line that works from any directory.
		if abs, err := filepath.Abs(*dir); err == nil {
			*dir = abs
		}
	}

	stop, release := signals()
	defer release()
	lab, err := sim.Open(sim.Options{Listen: *listen, RedisAddr: *redisAddr, Dir: *dir, Seed: *seed})
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab: %s\n", oneLine(err))
		return 1
	}
	fmt.Fprintf(stdout, "api: %s\nredis: %s\ndb: %s\n", lab.APIURL(), lab.RedisAddr(), lab.DBDir())
	if !isLoopback("http://" + lab.ListenAddr()) {
		fmt.Fprintf(stderr, "outboxlab: warning: the API listens on %s and is reachable from the network, not only from this machine; anyone who reaches it can place orders and read the lab's state\n", lab.ListenAddr())
	}
	lab.RunAuto(autoInterval)
	<-stop
	if err := lab.Close(); err != nil {
		fmt.Fprintf(stderr, "outboxlab: close the lab: %s\n", oneLine(err))
		return 1
	}
	return 0
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "outboxlab serve: %s (see 'outboxlab serve -h')\n", msg)
	return 2
}

// isLoopback reports whether the URL's host is a loopback IP address.
func isLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// oneLine keeps an error on a single line of output.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// Package config is the typed configuration of a tamizdat process: defaults,
// then environment variables, then flags, then Validate. No globals: the
// composition root passes a Config to whatever needs it.
package config

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Config holds what `tamizdat serve` and the other subcommands are told.
type Config struct {
	Addr string
	// OnionAddr is the listener the Tor daemon forwards the onion service
	// to: only requests arriving there are onion requests. "" for none.
	OnionAddr string
	DataDir   string
	DB        string // SQLite path or postgres:// URL; empty means DataDir/tamizdat.db
	Demo      bool
	Migrate   bool
	// TrustedProxies are the only peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// SecretFile holds the node secret when TAMIZDAT_SECRET does not; empty
	// means DataDir/node.secret, created on first start.
	SecretFile string
	// CacheMB bounds the memory of the reader pages' cache, in megabytes;
	// 0 turns the cache off (for benchmarks and debugging).
	CacheMB int
	// MetricsAddr is the listener of /metrics, for the operator's
	// Prometheus only; the public listeners never serve it. "" for none.
	MetricsAddr string
}

// Default returns the configuration of a bare `tamizdat serve`.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "data", CacheMB: DefaultCacheMB}
}

// DefaultCacheMB holds a busy day's pages of a large archive (a page is
// kept in three encodings, about 60 KB in all) well inside a small
// machine's memory.
const DefaultCacheMB = 64

// DSN returns the database to open.
func (c *Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "tamizdat.db")
}

// Env names the environment variable of each flag.
func Env(flagName string) string {
	return "TAMIZDAT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// BindStorage registers --data and --db, which every subcommand touching a
// site takes.
func (c *Config) BindStorage(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data folder (env "+Env("data")+")")
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path or postgres://user@host:port/db (env "+Env("db")+"; default DIR/tamizdat.db)")
}

// BindServe registers the flags of serve.
func (c *Config) BindServe(fs *flag.FlagSet) {
	c.BindStorage(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (env "+Env("addr")+")")
	fs.StringVar(&c.OnionAddr, "onion-addr", c.OnionAddr, "a second address to listen on, for the onion service: point the Tor daemon's HiddenServicePort here; only requests arriving on it get the onion's comment policy (env "+Env("onion-addr")+")")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "address to serve Prometheus metrics on, at /metrics; keep it off the public network (env "+Env("metrics-addr")+"; default none)")
	fs.IntVar(&c.CacheMB, "cache-mb", c.CacheMB, "memory for cached reader pages, in MB; 0 turns the cache off (env "+Env("cache-mb")+")")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "fill a database without articles with demo content (env "+Env("demo")+")")
	fs.BoolVar(&c.Migrate, "migrate", c.Migrate, "apply pending schema migrations before serving (env "+Env("migrate")+")")
	fs.StringVar(&c.SecretFile, "secret-file", c.SecretFile, "file holding the node secret that seals the keys of address hashes; every node of a site needs the same (env "+Env("secret-file")+"; or the secret itself in TAMIZDAT_SECRET; default DIR/node.secret)")
	fs.Func("trusted-proxies", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (env "+Env("trusted-proxies")+")", func(s string) error {
		p, err := ParseCIDRs(s)
		c.TrustedProxies = p
		return err
	})
}

// ApplyEnv sets every flag of fs that was not given on the command line from
// its environment variable, so that flags win over the environment.
func ApplyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		if v, ok := lookup(getenv, Env(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment variable %s=%q: %v", Env(f.Name), v, e)
			}
		}
	})
	return err
}

func lookup(getenv func(string) string, key string) (string, bool) {
	if getenv == nil {
		v, ok := os.LookupEnv(key)
		return v, ok
	}
	v := getenv(key)
	return v, v != ""
}

// ParseCIDRs parses a comma-separated list of CIDRs or bare addresses.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Validate checks the values that flags could not.
func (c *Config) Validate() error {
	if err := checkAddr("--addr", c.Addr, "127.0.0.1:8080"); err != nil {
		return err
	}
	if c.OnionAddr != "" {
		if err := checkAddr("--onion-addr", c.OnionAddr, "127.0.0.1:8081"); err != nil {
			return err
		}
		if sameListener(c.OnionAddr, c.Addr) {
			return fmt.Errorf("--onion-addr must differ from --addr: requests on it are taken to come through Tor")
		}
	}
	if c.MetricsAddr != "" {
		if err := checkAddr("--metrics-addr", c.MetricsAddr, "127.0.0.1:9090"); err != nil {
			return err
		}
		// Metrics tell how much is read, when and where: never on a
		// listener readers reach.
		if sameListener(c.MetricsAddr, c.Addr) {
			return fmt.Errorf("--metrics-addr must differ from --addr: metrics are never served on the public listener")
		}
		if c.OnionAddr != "" && sameListener(c.MetricsAddr, c.OnionAddr) {
			return fmt.Errorf("--metrics-addr must differ from --onion-addr: metrics are never served on the onion listener")
		}
	}
	if c.CacheMB < 0 || c.CacheMB > 1<<20 {
		return fmt.Errorf("--cache-mb %d: give the megabytes of memory for cached pages, from 0 (no cache) up", c.CacheMB)
	}
	if c.DataDir == "" {
		return fmt.Errorf("--data must name a folder")
	}
	return nil
}

// checkAddr checks that the value of flag is host:port with a valid port.
func checkAddr(flag, addr, example string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q is not host:port, e.g. %s", flag, addr, example)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s %q has no valid port", flag, addr)
	}
	return nil
}

// sameListener reports whether two checked addresses would ask for one
// listener: the same port on the same host, or on every address (an empty
// host, 0.0.0.0 or ::) and one of them. Port 0 asks the system for a free
// port each time, so two of them never clash.
func sameListener(a, b string) bool {
	ha, pa, _ := net.SplitHostPort(a)
	hb, pb, _ := net.SplitHostPort(b)
	if pa != pb || pa == "0" {
		return false
	}
	every := func(h string) bool {
		ip, err := netip.ParseAddr(h)
		return h == "" || err == nil && ip.IsUnspecified()
	}
	return ha == hb || every(ha) || every(hb)
}

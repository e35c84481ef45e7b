package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestFlagsWinOverEnvironment(t *testing.T) {
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.BindServe(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TAMIZDAT_ADDR": "127.0.0.1:1", "TAMIZDAT_DATA": "/srv/site", "TAMIZDAT_DEMO": "true", "TAMIZDAT_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"}
	if err := ApplyEnv(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DataDir != "/srv/site" || !c.Demo || len(c.TrustedProxies) != 2 || c.TrustedProxies[1].Bits() != 32 {
		t.Errorf("config = %+v", c)
	}
	if c.DSN() != "/srv/site/tamizdat.db" {
		t.Errorf("DSN = %s", c.DSN())
	}
}

func TestBadEnvironmentValue(t *testing.T) {
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.BindServe(fs)
	fs.Parse(nil)
	if err := ApplyEnv(fs, func(k string) string {
		if k == "TAMIZDAT_DEMO" {
			return "perhaps"
		}
		return ""
	}); err == nil {
		t.Error("TAMIZDAT_DEMO=perhaps was accepted")
	}
}

func TestParseCIDRs(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "ten", "10.0.0.0/8," + "x"} {
		if _, err := ParseCIDRs(bad); err == nil {
			t.Errorf("ParseCIDRs(%q) accepted", bad)
		}
	}
	p, err := ParseCIDRs(" 10.1.2.3/8 , ::1 ")
	if err != nil || len(p) != 2 || p[0].String() != "10.0.0.0/8" || p[1].String() != "::1/128" {
		t.Errorf("ParseCIDRs = %v, %v", p, err)
	}
}

func TestValidate(t *testing.T) {
	for _, bad := range []Config{
		{Addr: "8080", DataDir: "d"},
		{Addr: "127.0.0.1:99999", DataDir: "d"},
		{Addr: "127.0.0.1:8080", DataDir: ""},
		{Addr: "127.0.0.1:8080", DataDir: "d", CacheMB: -1},
		{Addr: "127.0.0.1:8080", DataDir: "d", OnionAddr: "127.0.0.1:8080"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil", bad)
		}
	}
	for _, good := range []Config{Default(), {Addr: "127.0.0.1:8080", DataDir: "d", CacheMB: 0},
		{Addr: "127.0.0.1:0", OnionAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", DataDir: "d"},
		{Addr: "0.0.0.0:8080", MetricsAddr: "127.0.0.1:9090", DataDir: "d"},
		{Addr: "127.0.0.1:8080", MetricsAddr: "10.0.0.5:8080", DataDir: "d"},
	} {
		if err := good.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", good, err)
		}
	}
}

// The metrics listener is checked like the others, and never shares one
// with a listener readers reach: the error names the flag and why.
func TestValidateMetricsAddr(t *testing.T) {
	for _, c := range []struct {
		addr, onion, metrics, want string
	}{
		{"127.0.0.1:8080", "", "9090", `--metrics-addr "9090" is not host:port`},
		{"127.0.0.1:8080", "", "127.0.0.1:70000", `--metrics-addr "127.0.0.1:70000" has no valid port`},
		{"127.0.0.1:8080", "", "127.0.0.1:port", `--metrics-addr "127.0.0.1:port" has no valid port`},
		{"127.0.0.1:8080", "", "127.0.0.1:8080", "--metrics-addr must differ from --addr"},
		{":8080", "", "127.0.0.1:8080", "--metrics-addr must differ from --addr"},
		{"127.0.0.1:8080", "", "[::]:8080", "--metrics-addr must differ from --addr"},
		{"127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8081", "--metrics-addr must differ from --onion-addr"},
	} {
		cfg := Config{Addr: c.addr, OnionAddr: c.onion, MetricsAddr: c.metrics, DataDir: "d"}
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(addr %q, onion %q, metrics %q) = %v, want %q", c.addr, c.onion, c.metrics, err, c.want)
		}
	}
}

func TestMetricsAddrFromEnvironment(t *testing.T) {
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.BindServe(fs)
	fs.Parse(nil)
	if err := ApplyEnv(fs, func(k string) string {
		if k == "TAMIZDAT_METRICS_ADDR" {
			return "127.0.0.1:9090"
		}
		return ""
	}); err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "127.0.0.1:9090" {
		t.Errorf("MetricsAddr = %q", c.MetricsAddr)
	}
}

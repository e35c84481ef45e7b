package config

import (
	"flag"
	"io"
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
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil", bad)
		}
	}
	for _, good := range []Config{Default(), {Addr: "127.0.0.1:8080", DataDir: "d", CacheMB: 0}} {
		if err := good.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", good, err)
		}
	}
}

package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"tamizdat/internal/news"
	"tamizdat/internal/signing"
)

// cmdKeygen makes the operator's signing key pair. It writes nothing over
// an existing file: a key overwritten by a slip of the hand would leave
// every archive it signed impossible to check.
func cmdKeygen(_ context.Context, args []string, env Env) error {
	flags := flag.NewFlagSet("keygen", flag.ContinueOnError)
	pos, err := parse(flags, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: tamizdat keygen KEYFILE (writes KEYFILE, the private key, and KEYFILE.pub)")
	}
	path := pos[0]
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("%s is a folder; name the key file, e.g. %s", path, filepath.Join(path, "tamizdat.key"))
	}
	if err := folderExists(filepath.Dir(path), "KEYFILE"); err != nil {
		return err
	}
	k, err := signing.Generate()
	if err != nil {
		return err
	}
	if err := signing.WriteKeyPair(path, k); err != nil {
		var pe *fs.PathError
		if errors.Is(err, fs.ErrExist) && errors.As(err, &pe) {
			return news.Errorf(news.EINVALID, "%s already exists, and a key is never overwritten (what it signed could no longer be checked); choose another KEYFILE, or move the old pair away first", pe.Path)
		}
		return news.Errorf(news.EINVALID, "cannot write the key pair: %v; choose another KEYFILE", news.RootCause(err))
	}
	fmt.Fprintf(env.Stdout, "private key written to %s (mode 0600: keep it secret, and away from the servers if you can), public key to %s.pub\nfingerprint %s\n",
		path, path, k.Public().Fingerprint())
	return nil
}

// folderExists refuses a folder that is not there instead of creating it:
// a mistyped path must not quietly start a new place to keep things.
func folderExists(dir, what string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return news.Errorf(news.EINVALID, "the folder %s does not exist; create it first or give %s in a folder that does", dir, what)
	}
	if !st.IsDir() {
		return news.Errorf(news.EINVALID, "%s is not a folder; give %s in a folder", dir, what)
	}
	return nil
}

// signingKey reads the private key of --sign, if one was named.
func signingKey(path string) (*signing.PrivateKey, error) {
	if path == "" {
		return nil, nil
	}
	k, err := signing.LoadPrivateKey(path)
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "--sign: %v", err)
	}
	return k, nil
}

// checkingKey reads the public key of --key, if one was named.
func checkingKey(path string) (*signing.PublicKey, error) {
	if path == "" {
		return nil, nil
	}
	k, err := signing.LoadPublicKey(path)
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "--key: %v", err)
	}
	return k, nil
}

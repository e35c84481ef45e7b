package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tamizdat/internal/config"
	"tamizdat/internal/keyring"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// nodeSecret finds the secret that seals the address keys: TAMIZDAT_SECRET,
// else the --secret-file, else DIR/node.secret, which a first start creates
// (mode 0600) for a single node. It never enters the database, so a stolen
// database or backup cannot link a stored hash to an address. Several nodes
// of one site must be given the same secret.
func nodeSecret(cfg *config.Config, env Env) ([]byte, error) {
	if v := env.getenv("TAMIZDAT_SECRET"); v != "" {
		if len(v) < keyring.MinSecret {
			return nil, news.Errorf(news.EINVALID, "TAMIZDAT_SECRET must be at least %d characters; make one with: head -c 32 /dev/urandom | xxd -p -c 64", keyring.MinSecret)
		}
		return []byte(v), nil
	}
	path := cfg.SecretFile
	create := path == ""
	if create {
		path = filepath.Join(cfg.DataDir, "node.secret")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		raw := make([]byte, 32)
		rand.Read(raw)
		b = []byte(hex.EncodeToString(raw) + "\n")
		// Like the database, the secret gets the data folder, never the
		// folders above it.
		if err := makeDataDir(filepath.Dir(path)); err != nil {
			return nil, err
		}
		// O_EXCL: two processes starting at once must not write two secrets.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return nodeSecret(cfg, env)
		} else if err != nil {
			return nil, fmt.Errorf("creating the node secret %s: %w", path, err)
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return nil, fmt.Errorf("writing the node secret %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, news.Errorf(news.EINVALID, "cannot read the node secret %s: %v", path, news.RootCause(err))
	}
	secret := []byte(strings.TrimSpace(string(b)))
	if len(secret) < keyring.MinSecret {
		return nil, news.Errorf(news.EINVALID, "the node secret in %s is shorter than %d characters", path, keyring.MinSecret)
	}
	return secret, nil
}

// sealTOTPSecrets seals the authenticator secrets stored before secrets
// were sealed, so that no second factor stays readable in the database or
// its backups. A secret that changes meanwhile (a user enrolling on
// another node) is left to that node, which seals its own.
func sealTOTPSecrets(ctx context.Context, db *store.DB, keys *keyring.Keyring) (int, error) {
	secrets, err := db.TOTPSecrets(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, stored := range secrets {
		if keyring.IsSealedTOTP(stored) {
			continue
		}
		if err := db.ReplaceTOTPSecret(ctx, id, stored, keys.SealTOTP(id, stored)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

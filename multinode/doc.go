// Package multinode holds the test of a small cluster as it runs in
// production: three `tamizdat serve` processes of the real binary on one
// PostgreSQL database, behind nginx. It checks that an edit made through one
// node shows on the others, and that readers and writers going through the
// load balancer lose nothing when a node is killed and comes back.
//
// The test needs Debian's nginx and wrk; without them it skips, except in CI
// (CI=true), where .ci/run installs them.
package multinode

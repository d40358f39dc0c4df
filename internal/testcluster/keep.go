package testcluster

import "os"

// keep reports whether objects of failed tests stay for inspection.
func keep() bool { return os.Getenv("DRUNC_TEST_KEEP") == "1" }

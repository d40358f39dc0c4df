// Package okssession turns a DUNE DAQ OKS Session into the processes drunc
// would boot for it (a *session.Session), with drunc's rules for tree ids,
// disabled components, hosts, command lines, environment and log files.
package okssession

// The only imports a compiled Rust program may have: what the runner's WASI shim and the
// "packetlab" host module serve (sandbox/wasi.ts). Both sides read this list.
export const WASI_MODULE = "wasi_snapshot_preview1";
export const HOST_MODULE = "packetlab";

export const ALLOWED_IMPORTS = {
  [WASI_MODULE]: [
    "fd_write",
    "fd_read",
    "fd_close",
    "fd_seek",
    "fd_fdstat_get",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "proc_exit",
    "environ_get",
    "environ_sizes_get",
    "args_get",
    "args_sizes_get",
    "random_get",
    "clock_time_get",
    "clock_res_get",
    "sched_yield",
    "poll_oneoff",
  ],
  [HOST_MODULE]: [
    "udp_bind",
    "udp_send_to",
    "udp_recv_from",
    "udp_close",
    "send_packet",
    "file_size",
    "read_file",
    "last_error",
    "tcp_connect",
    "tcp_write",
    "tcp_read",
    "tcp_shutdown",
    "tcp_close",
    "tcp_connect_timeout",
    "tcp_listen",
    "tcp_accept",
    "receive_packet",
  ],
} as const satisfies Record<string, readonly string[]>;

/** What to tell a learner whose program needs an import nobody serves. */
export const IMPORT_HINTS: Record<string, string> = {
  path_open: "std::fs::File is not available here: read the lesson's files with std::fs::read",
  sock_accept: "only std::net::UdpSocket, TcpStream and TcpListener are available here",
  sock_recv: "only std::net::UdpSocket, TcpStream and TcpListener are available here",
  sock_send: "only std::net::UdpSocket, TcpStream and TcpListener are available here",
};

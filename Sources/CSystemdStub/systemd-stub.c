/* For the link of podbench-probe, which is static: Debian's libpcap.a pulls in
 * libdbus-1.a, which calls two libsystemd functions that only a D-Bus server's socket
 * activation uses, and Debian ships no static libsystemd. The probe never serves D-Bus:
 * these say "no sockets were passed", which is what libsystemd says outside systemd. */
int sd_listen_fds(int unset_environment) { (void)unset_environment; return 0; }
int sd_is_socket(int fd, int family, int type, int listening) { (void)fd; (void)family; (void)type; (void)listening; return 0; }

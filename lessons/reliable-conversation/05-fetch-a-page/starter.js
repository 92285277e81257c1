import { decodeText, Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

// Look up www.packetlab.test, connect to port 80, send a GET request, print the answer.

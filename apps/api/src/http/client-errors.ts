import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A request Node's HTTP parser cannot read (raw UTF-8 in the URL, a broken header) never reaches
 * Express; Node would answer a bare 400 with no body. This answers in the API's error shape instead,
 * with the likely fix.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      statusCode: status,
      error: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
      code: tooLarge ? 'headers_too_large' : 'bad_request_line',
      message: tooLarge
        ? 'The request headers are too large'
        : 'The request could not be read. URLs must be ASCII: percent-encode other characters (curl -G --data-urlencode "q=やまだ" …)',
    });
    const head = [
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}

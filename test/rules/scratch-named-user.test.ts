import { ruleTests } from '../ruleTester';

/** A Dockerfile from its lines, with LF endings. */
const lf = (...lines: string[]): string => lines.join('\n') + '\n';
/** The same with CRLF endings. */
const crlf = (...lines: string[]): string => lines.join('\r\n') + '\r\n';

const BUILD = ['FROM golang:1.21.0 AS build', 'RUN CGO_ENABLED=0 go build -o /app . && useradd --system app'];
const APP = 'COPY --from=build /app /app';
const START = 'ENTRYPOINT ["/app"]';

ruleTests('scratch-named-user', {
  task: 'scratch',
  valid: [
    { name: 'numeric uid:gid', code: lf(...BUILD, 'FROM scratch', APP, 'USER 65534:65534', START) },
    { name: 'numeric uid only', code: lf(...BUILD, 'FROM scratch', APP, 'USER 10001', START) },
    { name: 'name with /etc/passwd copied', code: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/passwd /etc/passwd', APP, 'USER app', START) },
    {
      name: 'name and group with both files copied into /etc/',
      code: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/passwd /etc/group /etc/', APP, 'USER app:app', START),
    },
    { name: 'numeric user, named group, /etc/group copied', code: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/group /etc/group', 'USER 10001:app') },
    { name: 'JSON-form COPY', code: lf(...BUILD, 'FROM scratch', 'COPY --from=build ["/etc/passwd", "/etc/passwd"]', 'USER nobody') },
    { name: 'a source ending with /etc/passwd', code: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/passwd /etc/passwd.d/', 'USER nobody') },
    { name: 'COPY --from=<image> of /etc/passwd', code: lf('FROM scratch', 'COPY --from=busybox:1.36.1-musl /etc/passwd /etc/passwd', 'USER nobody') },
    { name: 'destination given by a variable', code: lf('FROM scratch', 'ARG ETC=/etc', 'COPY --from=busybox:1.36.1-musl /etc/passwd ${ETC}/passwd', 'USER nobody') },
    { name: '/etc/passwd copied in the parent stage', code: lf(...BUILD, 'FROM scratch AS base', 'COPY --from=build /etc/passwd /etc/passwd', 'FROM base', 'USER app') },
    { name: 'not scratch: names resolve through the image', code: lf('FROM alpine:3.17.3', 'USER nobody') },
    { name: 'a builder on scratch does not matter', task: 'generic', code: lf('FROM scratch AS files', 'USER nobody', 'FROM alpine:3.17.3', 'USER nobody') },
    { name: 'a named USER overridden by a numeric one', code: lf('FROM scratch', 'USER app', 'USER 10001') },
    { name: 'ARG without default: unknown, so silent', code: lf('FROM scratch', 'ARG APP_USER', 'USER ${APP_USER}') },
    { name: 'empty after expansion: the non-root-user rule reports it', code: lf(...BUILD, 'ARG APP_USER=app', 'FROM scratch', 'USER ${APP_USER}') },
    { name: 'no USER: the non-root-user rule reports it', code: lf('FROM scratch', APP) },
    { name: 'CRLF', code: crlf('FROM scratch', 'USER 65534') },
    { name: 'suppressed with coach-ignore', code: lf('FROM scratch', '# coach-ignore scratch-named-user -- passwd comes from a volume', 'USER nobody') },
    { name: 'suppressed for the file', code: lf('# coach-ignore-file scratch-named-user', 'FROM scratch', 'USER nobody') },
    { name: 'turned off in dockerfile-coach.json', code: lf('FROM scratch', 'USER nobody'), files: { 'dockerfile-coach.json': '{"rules": {"scratch-named-user": "off"}}' } },
  ],
  invalid: [
    {
      name: 'user name without /etc/passwd',
      code: lf(...BUILD, '', 'FROM scratch', APP, 'USER nobody', START),
      errors: [{ messageId: 'namedUser', range: [5, 5, 5, 11], includes: 'USER nobody is a name' }],
      output: lf(...BUILD, '', 'FROM scratch', APP, 'USER 65534:65534', START),
    },
    {
      name: 'name:name',
      code: lf('FROM scratch', 'USER app:app'),
      errors: [{ messageId: 'namedUser', range: [1, 5, 1, 12] }],
      output: lf('FROM scratch', 'USER 65534:65534'),
    },
    {
      name: 'name with a numeric group keeps the group',
      code: lf('FROM scratch', 'USER app:10001'),
      errors: [{ messageId: 'namedUser', range: [1, 5, 1, 14] }],
      output: lf('FROM scratch', 'USER 65534:10001'),
    },
    {
      name: 'numeric user with a named group',
      code: lf('FROM scratch', 'USER 10001:app', START),
      errors: [{ messageId: 'namedGroup', range: [1, 5, 1, 14], includes: 'Group app is a name' }],
      output: lf('FROM scratch', 'USER 10001:10001', START),
    },
    {
      name: '/etc/passwd copied but not /etc/group: keep the primary group',
      code: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/passwd /etc/passwd', 'USER app:app'),
      errors: [{ messageId: 'namedGroup', range: [4, 5, 4, 12] }],
      output: lf(...BUILD, 'FROM scratch', 'COPY --from=build /etc/passwd /etc/passwd', 'USER app'),
    },
    {
      name: 'copying other files from an image does not bring /etc/passwd',
      code: lf('FROM scratch', 'COPY --from=alpine:3.17.3 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/', 'USER nobody'),
      errors: [{ messageId: 'namedUser', range: [2, 5, 2, 11] }],
      output: lf('FROM scratch', 'COPY --from=alpine:3.17.3 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/', 'USER 65534:65534'),
    },
    {
      name: 'a name from an ARG',
      code: lf('FROM scratch', 'ARG APP_USER=app', 'USER ${APP_USER}'),
      errors: [{ messageId: 'namedUser', range: [2, 5, 2, 16], includes: 'USER app' }],
      output: lf('FROM scratch', 'ARG APP_USER=app', 'USER 65534:65534'),
    },
    {
      name: 'ARG before FROM chooses scratch',
      code: lf('ARG BASE=scratch', 'FROM ${BASE}', 'USER nobody'),
      errors: [{ messageId: 'namedUser', range: [2, 5, 2, 11] }],
      output: lf('ARG BASE=scratch', 'FROM ${BASE}', 'USER 65534:65534'),
    },
    {
      name: 'USER inherited through FROM <stage>',
      code: lf('FROM scratch AS base', 'USER app', '', 'FROM base', APP),
      errors: [{ messageId: 'namedUser', range: [1, 5, 1, 8] }],
      output: lf('FROM scratch AS base', 'USER 65534:65534', '', 'FROM base', APP),
    },
    {
      name: 'CRLF',
      code: crlf('FROM scratch', 'USER nobody', START),
      errors: [{ messageId: 'namedUser', range: [1, 5, 1, 11] }],
      output: crlf('FROM scratch', 'USER 65534:65534', START),
    },
    {
      name: 'continuation line',
      code: lf('FROM scratch', 'USER \\', '  nobody', START),
      errors: [{ messageId: 'namedUser', range: [2, 2, 2, 8] }],
      output: lf('FROM scratch', 'USER \\', '  65534:65534', START),
    },
    {
      name: 'escape directive',
      code: lf('# escape=`', 'FROM scratch', 'USER `', '  nobody', START),
      errors: [{ messageId: 'namedUser', range: [3, 2, 3, 8] }],
      output: lf('# escape=`', 'FROM scratch', 'USER `', '  65534:65534', START),
    },
    {
      name: 'generic task: still an error',
      task: 'generic',
      code: lf('FROM scratch', 'USER nobody'),
      errors: [{ messageId: 'namedUser', range: [1, 5, 1, 11], severity: 'error' }],
      output: lf('FROM scratch', 'USER 65534:65534'),
    },
  ],
});

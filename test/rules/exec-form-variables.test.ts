import { ruleTests } from '../ruleTester';

ruleTests('exec-form-variables', {
  task: 'distroless',
  valid: [
    'FROM golang:1.19-bullseye AS b\nFROM gcr.io/distroless/base-debian11:nonroot\nCMD ["/app", "-port=9000"]\n',
    { name: 'shell form expands (exec-form reports it instead)', code: 'FROM golang:1.19\nCMD /app -port=$APP_PORT\n' },
    { name: 'sh -c expands its own variables', code: 'FROM golang:1.19\nCMD ["sh", "-c", "/app -port=$APP_PORT"]\n' },
    { name: 'escaped dollar is not a variable in the program either: still literal, but flagged only when it looks like a variable', code: 'FROM golang:1.19\nCMD ["/app", "--price=5$"]\n' },
  ],
  invalid: [
    {
      code: 'FROM golang:1.19\nENTRYPOINT ["/app", "-port=${APP_PORT}", "-host=$APP_HOST"]\n',
      errors: [
        { messageId: 'literal', range: [1, 20, 1, 39], includes: 'APP_PORT' },
        { messageId: 'literal', range: [1, 41, 1, 58], includes: 'APP_HOST' },
      ],
      output: null,
    },
  ],
});

import { ruleTests } from '../ruleTester';

ruleTests('exec-form', {
  valid: [
    'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    'FROM node:18.16.0-alpine3.17\nENTRYPOINT ["node"]\nCMD ["index.js"]\n',
    { name: 'shell form only in a builder stage the final stage does not use', code: 'FROM golang:1.19 AS build\nCMD go run .\nFROM scratch\nCOPY --from=build /app /app\nCMD ["/app"]\n', task: 'scratch' },
    { name: 'no CMD at all', code: 'FROM node:18.16.0-alpine3.17\n' },
  ],
  invalid: [
    {
      name: 'shell form converts',
      code: 'FROM node:18.16.0-alpine3.17\nCMD node index.js\n',
      errors: [{ messageId: 'shellForm', range: [1, 4, 1, 17], includes: '["node", "index.js"]' }],
      output: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'quoted words keep their value',
      code: 'FROM node:18.16.0-alpine3.17\nENTRYPOINT node "my app.js" --name=\'x y\'\n',
      errors: [{ messageId: 'shellForm', range: [1, 11, 1, 40] }],
      output: 'FROM node:18.16.0-alpine3.17\nENTRYPOINT ["node", "my app.js", "--name=x y"]\n',
    },
    {
      name: 'continuation lines and CRLF',
      code: 'FROM node:18.16.0-alpine3.17\r\nCMD node \\\r\n  index.js\r\n',
      errors: [{ messageId: 'shellForm', range: [1, 4, 2, 10] }],
      output: 'FROM node:18.16.0-alpine3.17\r\nCMD ["node", "index.js"]\r\n',
    },
    {
      name: 'escape directive with a backtick',
      code: '# escape=`\nFROM node:18.16.0-alpine3.17\nCMD node `\n  index.js\n',
      errors: [{ messageId: 'shellForm', range: [2, 4, 3, 10] }],
      output: '# escape=`\nFROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'shell features: no automatic conversion',
      code: 'FROM node:18.16.0-alpine3.17\nCMD node index.js --port $PORT && echo done\n',
      errors: [{ messageId: 'shellFormNeedsShell', range: [1, 4, 1, 43], includes: 'expansion' }],
      output: null,
    },
    {
      name: 'single quotes are not JSON',
      code: "FROM node:18.16.0-alpine3.17\nCMD ['node', 'index.js']\n",
      errors: [{ messageId: 'brokenJson', range: [1, 4, 1, 24] }],
      output: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'trailing comma',
      code: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js",]\n',
      errors: [{ messageId: 'brokenJson', range: [1, 4, 1, 25] }],
      output: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'CMD inherited from the stage the final stage is built on',
      code: 'FROM node:18.16.0-alpine3.17 AS base\nCMD node index.js\nFROM base\nUSER node\n',
      errors: [{ messageId: 'shellForm', range: [1, 4, 1, 17] }],
      output: 'FROM node:18.16.0-alpine3.17 AS base\nCMD ["node", "index.js"]\nFROM base\nUSER node\n',
    },
  ],
});

# syntax=docker/dockerfile:1.6
FROM golang:1.22.2-bookworm AS build
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /bin/server .

FROM alpine:3.19.1
RUN apk add --no-cache ca-certificates
COPY --from=build /bin/server /bin/server
USER 10001:10001
ENTRYPOINT ["/bin/server"]

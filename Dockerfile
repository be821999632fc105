# syntax=docker/dockerfile:1
#
# statusbot as a static binary on distroless (CA certificates, no shell,
# user nonroot 65532). Build with the version from git:
#
#   docker build --build-arg VERSION="$(git describe --tags --always --dirty)" -t statusbot .
#   docker run --rm -p 8080:8080 -e STATUSBOT_SLACK_BOT_TOKEN -e STATUSBOT_SLACK_APP_TOKEN statusbot
#
# .ci/run builds the binary with the same flags and checks it is static.

# Base images pinned to exact versions; Renovate (renovate.json) keeps them
# current and moves them to digests. distroless publishes no version tags,
# so its image is pinned by digest only, once Renovate adds it.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .git is not in the build context (.dockerignore), so the version comes in
# as a build argument; without it `statusbot version` says (devel).
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X main.buildVersion=${VERSION}" \
      -o /out/statusbot ./cmd/statusbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/statusbot /statusbot
USER nonroot:nonroot
ENV STATUSBOT_HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/statusbot"]
CMD ["run"]

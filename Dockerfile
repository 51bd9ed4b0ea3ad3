# syntax=docker/dockerfile:1

# The vrisk container image: a static binary alone in an empty image.
#
#   docker build -t vrisk .
#   docker run --rm -v "$PWD:/work" vrisk check
#
# Build stage: on Alpine the Rust toolchain targets musl and links statically by default, so the
# binary needs no libc at run time. mimalloc, vrisk's allocator, is C: it needs gcc and the musl
# headers.
FROM rust:1-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin vrisk \
    && cp target/release/vrisk /vrisk

# Final stage: nothing but the binary and its licence. vrisk reads files and writes reports; it
# needs no shell, no certificates (it never opens a network connection) and no root.
FROM scratch
COPY --from=build /vrisk /usr/local/bin/vrisk
COPY LICENSE README.md /usr/share/doc/vrisk/
# 65532 is the "nonroot" user of the distroless images; a scratch image has no /etc/passwd, so
# the user is given by number.
USER 65532:65532
# Mount the directory holding registry/ and policies/ (or vrisk.yaml) here.
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/vrisk"]
CMD ["check"]

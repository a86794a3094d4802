wasmtime run -S http --invoke "get-meeting({access-token: \"$GOTO_TOKEN\", api-base: some(\"$GOTO_API_BASE\"), seeit-base: none, settings: none}, $1)" "$GOTO_COMPONENT"

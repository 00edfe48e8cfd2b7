# Docker targets (included by the Makefile's `-include make/*.mk`).
.PHONY: up tools logs stop clean

up: ## Start api (8000), Redis and DynamoDB/dynalite (8001) with docker compose
	docker compose up -d --build

tools: ## Also start Redis Commander on http://localhost:8081
	docker compose --profile tools up -d --build

logs: ## Follow the containers' logs
	docker compose --profile tools logs -f

stop: ## Stop the containers, keeping their data
	docker compose --profile tools stop

clean: ## Remove the containers and their volumes (all local data)
	docker compose --profile tools down -v --remove-orphans

def test_manifest_names_the_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.json()["short_name"] == "Advocate"

def test_world_builds(world):
    assert world.org("D1.X1.C1").path.startswith(world.org("D1.X1").path)
